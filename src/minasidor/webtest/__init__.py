"""The web test (webbtest): a public page that, with the visitor's consent, records what customer service
needs to know about their browser, and gives a short reference the agent looks up in the console.

No personal number is asked for and no address is kept; a record is deleted 24 hours after it was made
(a periodic job). Without JavaScript the record holds what the server alone can see (decision 0132).
"""
