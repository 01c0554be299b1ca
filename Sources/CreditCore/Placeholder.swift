// CreditCore
