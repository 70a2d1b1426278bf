#!/usr/bin/env python3
"""An aioice agent on 127.0.0.1 as the remote ICE peer of the ICE interop test.

Protocol, one JSON object per line:
  stdout  {"ufrag", "pwd", "candidates": [{"foundation", "priority", "host", "port"}]}
  stdin   {"ufrag", "pwd", "candidates": [...same...]}   the test's agent; end-of-candidates follows
  stdout  {"event": "connected", "local": [host, port], "remote": [host, port]}
          then sends b"ping-from-aioice" over the selected pair
  stdout  {"event": "received", "data": "..."}           first datagram the test sends back
  stdin   "bye" or end of input                          close and exit
  stdout  {"event": "error", "message": "..."}           on any failure, then exit 1

aioice leaves 127.0.0.1 out of its host candidates; the gatherer is pointed at it here.
Every wait is bounded so the script ends on its own.
"""
import argparse
import asyncio
import json
import sys

import aioice
import aioice.ice

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def read_line(timeout):
    loop = asyncio.get_running_loop()
    return await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.readline), timeout)


async def main(role, timeout):
    connection = aioice.Connection(ice_controlling=(role == "controlling"), components=1, use_ipv6=False)
    try:
        await connection.gather_candidates()
        emit({
            "ufrag": connection.local_username,
            "pwd": connection.local_password,
            "candidates": [
                {"foundation": c.foundation, "priority": c.priority, "host": c.host, "port": c.port}
                for c in connection.local_candidates
            ],
        })
        remote = json.loads(await read_line(timeout))
        connection.remote_username = remote["ufrag"]
        connection.remote_password = remote["pwd"]
        for c in remote["candidates"]:
            await connection.add_remote_candidate(aioice.Candidate(
                foundation=c["foundation"], component=1, transport="udp", priority=c["priority"],
                host=c["host"], port=c["port"], type="host"))
        await connection.add_remote_candidate(None)
        await asyncio.wait_for(connection.connect(), timeout)
        pair = connection._nominated[1]
        emit({"event": "connected", "local": list(pair.local_addr), "remote": list(pair.remote_addr)})
        await connection.send(b"ping-from-aioice")
        data = await asyncio.wait_for(connection.recv(), timeout)
        emit({"event": "received", "data": data.decode("utf-8", "replace")})
        await read_line(timeout)
    except Exception as error:  # report anything to the test, which prints it
        emit({"event": "error", "message": f"{type(error).__name__}: {error}"})
        return 1
    finally:
        await connection.close()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--role", choices=["controlling", "controlled"], required=True)
    parser.add_argument("--timeout", type=float, default=15)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.role, args.timeout)))
