"""The browser review page: a Starlette app over the review log, server-rendered and autoescaped.

| module | owns |
|---|---|
| :mod:`~translate.server.app` | the routes and what each does |
| :mod:`~translate.server.views` | what the pages show, as plain data for the templates |
| :mod:`~translate.server.requests` | per-request plumbing: the visitor, forms, responses |
| :mod:`~translate.server.auth` | who may write, and proof that a write came from the page |
| :mod:`~translate.server.limits` | request, session and port limits; what error pages may say |

Writes go through :mod:`translate.review` (its rules and log) like every other writer. May import
any layer below it (:mod:`translate.review`, :mod:`translate.doc`, :mod:`translate.text`...), never
:mod:`translate.cli`. Its modules import Starlette at module level: only ``translate serve`` imports them.
"""
