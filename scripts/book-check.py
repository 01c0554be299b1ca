"""Loads every page of a book folder in headless Chromium (DevTools protocol) and checks it.

Run by scripts/book-check.sh, which installs Chromium and python3-websocket. For each page the
book's manifest.json lists: no console error or uncaught exception, every request answered
(no 404, no failed load), every <img> decoded (naturalWidth > 0), and every figure the
manifest expects on the page present as #figure-NAME with a decoded image. A screenshot of the
top of every page goes to BOOK/screenshots/ (a second one at the first figure, if any).
Exit code 0 when every page passes, 1 otherwise.
"""

import base64
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import websocket

WIDTH, HEIGHT = 1280, 900
PAGE_TIMEOUT = 30  # seconds for one page to load


class DevTools:
    """A minimal DevTools client: commands by id, and the events seen while waiting."""

    def __init__(self, url):
        self.socket = websocket.create_connection(url, timeout=PAGE_TIMEOUT, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event, deadline):
        while time.monotonic() < deadline:
            for index, message in enumerate(self.events):
                if message["method"] == event:
                    del self.events[index]
                    return True
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                message = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                break
            if "method" in message:
                self.events.append(message)
        return False


# Evaluated in each page after its load event: what a reader would miss.
PAGE_PROBE = """
(() => {
  const expected = %s;
  const broken = [...document.images].filter(i => !i.complete || i.naturalWidth === 0)
    .map(i => i.getAttribute('src'));
  const missing = expected.filter(name => {
    const figure = document.getElementById('figure-' + name);
    const image = figure && figure.querySelector('img');
    return !image || !image.complete || image.naturalWidth === 0;
  });
  const wide = [...document.querySelectorAll('main img, main figure')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(e => e.getAttribute('src') || e.id);
  return JSON.stringify({broken, missing, wide, images: document.images.length,
                         title: document.title});
})()
"""


def serve(folder):
    """Serves folder on 127.0.0.1 on a free port, in a background thread; returns the port."""
    handler = functools.partial(Quiet, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def start_chromium(profile):
    command = [
        shutil.which("chromium") or "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
        "--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}", f"--user-data-dir={profile}",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + 60
    while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("Chromium did not start its DevTools server")
        time.sleep(0.1)
    port = int(open(port_file).read().split()[0])
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
        targets = json.load(answer)
    page = next(t for t in targets if t["type"] == "page")
    return process, page["webSocketDebuggerUrl"]


def problems_of(events, base):
    """Console errors, exceptions and failed requests among the DevTools events."""
    found = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            found.append(f"console error: {text}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            found.append(f"console error: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            found.append(f"load failed: {params.get('errorText')}")
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            found.append(f"HTTP {params['response']['status']}: {params['response']['url'].replace(base, '')}")
    return found


def screenshot(tools, path):
    shot = tools.call("Page.captureScreenshot", format="png")
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))


def main():
    book = sys.argv[1] if len(sys.argv) > 1 else "book"
    manifest = json.load(open(os.path.join(book, "manifest.json")))
    shots = os.path.join(book, "screenshots")
    shutil.rmtree(shots, ignore_errors=True)
    os.makedirs(shots)
    base = f"http://127.0.0.1:{serve(book)}/"
    profile = tempfile.mkdtemp(prefix="book-check-")
    process, url = start_chromium(profile)
    failures = 0
    started = time.monotonic()
    try:
        tools = DevTools(url)
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.call(f"{domain}.enable")
        tools.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)
        for page in manifest["pages"]:
            path, expected = page["path"], page["figures"]
            tools.events.clear()
            tools.call("Page.navigate", url=base + path)
            loaded = tools.wait_for("Page.loadEventFired", time.monotonic() + PAGE_TIMEOUT)
            probe = json.loads(tools.call("Runtime.evaluate", expression=PAGE_PROBE % json.dumps(expected),
                                          returnByValue=True)["result"]["value"])
            time.sleep(0.05)  # late console messages
            tools.call("Runtime.evaluate", expression="0")
            problems = [] if loaded else ["did not finish loading"]
            problems += problems_of(tools.events, base)
            problems += [f"broken image: {src}" for src in probe["broken"]]
            problems += [f"missing figure: {name}" for name in probe["missing"]]
            problems += [f"wider than the window: {name}" for name in probe["wide"]]
            name = path.replace("/", "__").removesuffix(".html")
            screenshot(tools, os.path.join(shots, f"{name}.png"))
            if expected:
                tools.call("Runtime.evaluate", expression=f"document.getElementById('figure-{expected[0]}')"
                           "?.scrollIntoView({block: 'start'})")
                time.sleep(0.1)
                screenshot(tools, os.path.join(shots, f"{name}--figure.png"))
            status = "ok" if not problems else "FAIL"
            print(f"{status:4} {path} ({probe['images']} images)")
            for problem in problems:
                print(f"     {problem}")
            failures += bool(problems)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    count = len(manifest["pages"])
    print(f"{count} pages in {time.monotonic() - started:.0f} s; screenshots in {shots}/")
    print(f"book-check: {count - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
