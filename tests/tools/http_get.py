#!/usr/bin/python3
"""GETs a URL with Python's own HTTP client (independent of the server's code) and prints the
status line number, the response headers ("Name: value") and a blank line, then the body; with
--out FILE the body goes to that file instead. Options: --token-file F sends "Authorization:
Bearer <token>"; --ca-file F verifies an https server against that CA. Exit code 0 whatever the
HTTP status; 1 when no HTTP answer came."""
import argparse
import ssl
import sys
import urllib.error
import urllib.request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--token-file")
    parser.add_argument("--ca-file")
    parser.add_argument("--out")
    args = parser.parse_args()
    request = urllib.request.Request(args.url)
    if args.token_file:
        with open(args.token_file) as f:
            request.add_header("Authorization", "Bearer " + f.read().strip())
    context = ssl.create_default_context(cafile=args.ca_file) if args.ca_file else None
    try:
        response = urllib.request.urlopen(request, context=context, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    except Exception as error:  # no HTTP answer at all
        print(f"no answer: {error}", file=sys.stderr)
        return 1
    body = response.read()
    sys.stdout.write(f"{response.status}\n")
    for name, value in response.headers.items():
        sys.stdout.write(f"{name}: {value}\n")
    sys.stdout.write("\n")
    if args.out:
        with open(args.out, "wb") as f:
            f.write(body)
    else:
        sys.stdout.write(body.decode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
