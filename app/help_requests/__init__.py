"""Help requests to the Red Cross: the forms, their checks, and sealing them for the server.

No Flet, no words for people: problems are codes the UI turns into sentences.
"""
