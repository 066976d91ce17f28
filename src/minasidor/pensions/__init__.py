"""The citizen's pension pages ("Min pension"): the overview after login, the forecast, the documents to
download, and Min Pension's occupational and private pensions with the page to register there.

The pages read the session's pension data (``minasidor.pension_data``) and present it: views, forms,
templates, the SVG charts and the PDF documents. They keep nothing of their own.
"""
