print("ch2-td")
