"""python -m app request {new,list,cancel,withdraw}: help requests from the command line.

`new` checks and seals the form in memory and keeps it in the outbox (sent by
`python -m app sync` or the app's background owner); a missing or wrong field is refused
with a message naming it, and nothing is saved. `list` never shows a request's contents.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import httpx

    from app.runtime import Runtime


def add_request_parser(commands, *, run: Callable) -> None:
    request = commands.add_parser("request", help="ask the Red Cross for help: new, list, cancel, withdraw")
    actions = request.add_subparsers(dest="request_command", required=True)
    new = actions.add_parser("new", help="check, seal and keep a request until it can be sent")
    new.add_argument("--kind", required=True, choices=["tracing", "contact-me", "safe"])
    new.add_argument("--json-file", required=True, help="the form's fields as JSON (see README)")
    listing = actions.add_parser("list", help="your requests: kind, status, dates (never their contents)")
    listing.add_argument("--json", action="store_true")
    cancel = actions.add_parser("cancel", help="remove a request that is not sent yet")
    cancel.add_argument("id", help="the request's id from `request list`")
    withdraw = actions.add_parser("withdraw", help="withdraw a sent request: the server erases it")
    withdraw.add_argument("receipt")
    withdraw.add_argument("--server", default=os.environ.get("SAFE_JOURNEY_SERVER"))
    request.set_defaults(run=run)


def _new(runtime: Runtime, args: argparse.Namespace) -> int:
    from app.help_requests.forms import FormRefused, Problem
    from app.help_requests.sealing import NoRequestKey
    from app.request_words import no_key_words, problem_words

    try:
        with open(args.json_file, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"{args.json_file}: {type(error).__name__}", file=sys.stderr)
        return 2
    try:
        row_id = runtime.new_request(args.kind, data)
    except FormRefused as refused:
        for name, problem in sorted(refused.problems.items()):
            print(f"{name}: {problem_words(Problem(problem))}", file=sys.stderr)
        return 2
    except NoRequestKey:
        print(no_key_words(), file=sys.stderr)
        return 2
    print(row_id)
    return 0


def _list(runtime: Runtime, args: argparse.Namespace) -> int:
    from app.request_words import status_words

    listed = []
    for summary in runtime.user.outbox.summaries():
        status = summary.status if summary.state == "sent" else ("waiting" if summary.problem else summary.state)
        listed.append({
            "id": summary.id, "receipt": summary.receipt, "kind": summary.kind, "status": status,
            "updated_at": summary.updated_at.isoformat() if summary.updated_at else None,
            "created_at": summary.created_at.isoformat(),
            "message": summary.message, "problem": summary.problem,
        })
    if args.json:
        print(json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        for entry in listed:
            print(f"{entry['id']}\t{entry['kind']}\t{status_words(entry['status'], entry['problem'])}\t"
                  f"{entry['receipt'] or ''}\t{entry['updated_at']}")
    return 0


def _cancel(runtime: Runtime, args: argparse.Namespace) -> int:
    if runtime.user.outbox.cancel(args.id):
        return 0
    print(f"{args.id}: no request waiting to be sent has this id (a sent one can be withdrawn)", file=sys.stderr)
    return 1


def _withdraw(runtime: Runtime, args: argparse.Namespace, client: Callable[[], httpx.Client]) -> int:
    from app.requests_sync import NoProof, ServerUnreachable, UnknownReceipt, withdraw

    if not args.server:
        print("--server or SAFE_JOURNEY_SERVER is needed to withdraw a request", file=sys.stderr)
        return 2
    try:
        with client() as http:
            print(withdraw(runtime.user.outbox, http, args.server, args.receipt))
    except UnknownReceipt:
        print("no request sent from this phone has this receipt", file=sys.stderr)
        return 1
    except NoProof:
        print("an older version of the app sent this request and kept no proof that it is yours: "
              "the server cannot withdraw it for this phone; ask the Red Cross, giving the receipt code",
              file=sys.stderr)
        return 1
    except ServerUnreachable as error:
        print(f"the server could not be reached or refused: {error}", file=sys.stderr)
        return 1
    return 0


def run_request_command(runtime: Runtime, args: argparse.Namespace, client: Callable[[], httpx.Client]) -> int:
    if args.request_command == "withdraw":
        return _withdraw(runtime, args, client)
    return {"new": _new, "list": _list, "cancel": _cancel}[args.request_command](runtime, args)
