# A hostile or broken "bridge" for HostileTargetTest: installed as an executable named python3 first in the PATH of
# a real sshd, so the gateway's exec command `python3 -ic '# cockpit-bridge'` runs this instead. The test prepends
# a line MODE = '...' that picks the behaviour. It ignores its arguments; what the gateway writes to stdin is first
# the stage-1 bootloader (Python text ending with an empty line), then frames.
import json
import sys
import threading

out = sys.stdout.buffer
err = sys.stderr.buffer
inp = sys.stdin.buffer
out_lock = threading.Lock()

INIT = {
    'command': 'init', 'version': 1, 'capabilities': {'explicit-superuser': True},
    'os-release': {'NAME': 'Hostile', 'ID': 'hostile', 'PRETTY_NAME': 'Hostile target'},
    'packages': {'shell': None, 'system': None},
}


def write(data):
    with out_lock:
        out.write(data)
        out.flush()


def frame(channel, payload):
    body = channel.encode('ascii') + b'\n' + payload
    write(str(len(body)).encode('ascii') + b'\n' + body)


def control(**message):
    frame('', json.dumps(message).encode('utf-8'))


def drain():
    """Reads stdin until the gateway closes it (or the channel goes away), then exits."""
    while inp.read(65536):
        pass
    sys.exit(0)


def skip_stage1():
    while True:
        line = inp.readline()
        if not line:
            sys.exit(0)
        if line == b'\n':
            return


def frames():
    while True:
        length = b''
        while not length.endswith(b'\n'):
            c = inp.read(1)
            if not c:
                return
            length += c
        body = inp.read(int(length))
        channel, _, payload = body.partition(b'\n')
        yield channel.decode('ascii'), payload


def serve(on_http=None, on_data=None):
    """Echo channels for every open (the session stays usable); http-stream1 opens go to on_http."""
    for channel, payload in frames():
        if channel:
            frame(channel, payload)
            if on_data:
                on_data(channel)
            continue
        message = json.loads(payload)
        command = message.get('command')
        if command == 'open':
            if message.get('payload') == 'http-stream1' and on_http:
                on_http(message['channel'])
            else:
                control(command='ready', channel=message['channel'])
        elif command == 'close':
            control(command='close', channel=message['channel'])
    sys.exit(0)


def flood_stderr(total, chunk):
    sent = 0
    while sent < total:
        err.write(chunk)
        err.flush()
        sent += len(chunk)


def endless_html_thread(channel):
    threading.Thread(target=endless_html, args=(channel,), daemon=True).start()


def endless_html(channel):
    # the head, then a document that never ends; flow-control pings are never waited for
    frame(channel, json.dumps({'status': 200, 'reason': 'OK',
                               'headers': {'Content-Type': 'text/html'}}).encode('utf-8'))
    frame(channel, b'<html><head><title>endless</title></head><body>\n')
    block = b'<p>' + b'x' * (16 * 1024 - 8) + b'</p>\n'
    try:
        while True:
            frame(channel, block)
    except (BrokenPipeError, ConnectionResetError, ValueError):
        pass


def endless_file(channel):
    # a binary download that never ends, sent without waiting for the gateway's pongs; with the real bridge's
    # no-store, so the gateway first collects it to tag it (and streams it once it outgrows the session's budget)
    frame(channel, json.dumps({'status': 200, 'reason': 'OK',
                               'headers': {'Content-Type': 'application/octet-stream',
                                           'Cache-Control': 'no-cache, no-store'}}).encode('utf-8'))
    block = b'\x00' * (16 * 1024)
    try:
        while True:
            frame(channel, block)
    except (BrokenPipeError, ConnectionResetError, ValueError):
        pass


def foreign_frames(channel):
    # frames for channels the browser never opened: data, and controls that would close or answer them
    for other in ('1:999', '0:77', '2:1', channel + '!9'):
        frame(other, b'not your channel')
        control(command='ready', channel=other)
        control(command='close', channel=other, problem='terminated')


try:
    if MODE == 'length-only':
        # an 8-digit length (57 MiB: below the gateway's old 64 MiB limit) and a channel separator before any init,
        # then nothing
        write(b'60000000\n\n')
        drain()
    elif MODE == 'announce-only':
        # a valid init, then a frame announcing the 16 MiB default limit of which only 1 KiB ever arrives
        skip_stage1()
        control(**INIT)
        write(str(16 * 1024 * 1024).encode('ascii') + b'\n1:1\n' + b'z' * 1024)
        drain()
    elif MODE == 'over-limit':
        # a valid init, then a frame one byte longer than the 16 MiB default limit
        skip_stage1()
        control(**INIT)
        write(str(16 * 1024 * 1024 + 1).encode('ascii') + b'\n1:1\n' + b'z' * 1024)
        drain()
    elif MODE == 'mid-frame':
        # a valid init, then one frame at the 16 MiB default limit of which all but 1 MiB arrives, then silence
        skip_stage1()
        control(**INIT)
        length = 16 * 1024 * 1024
        write(str(length).encode('ascii') + b'\n1:1\n')
        block = b'y' * 65536
        for _ in range((length - 1024 * 1024) // len(block)):
            write(block)
        drain()
    elif MODE == 'endless-html':
        skip_stage1()
        control(**INIT)
        serve(on_http=endless_html_thread)
    elif MODE == 'endless-file':
        skip_stage1()
        control(**INIT)
        serve(on_http=lambda channel: threading.Thread(target=endless_file, args=(channel,), daemon=True).start())
    elif MODE == 'garbage':
        skip_stage1()
        control(**INIT)
        frame('1:1', b'data for a channel nobody opened')
        write(b'\x00\xffthis is not a frame\n' * 100)
        drain()
    elif MODE == 'stderr-flood':
        # before init: a ferny marker whose frame never ends, then plain text; after init: more, while serving
        flood_stderr(16 * 1024 * 1024, b'\0ferny\0(' + b'a' * 8184)
        flood_stderr(4 * 1024 * 1024, b'b' * 8191 + b'\n')
        skip_stage1()
        control(**INIT)
        threading.Thread(target=flood_stderr, args=(16 * 1024 * 1024, b'c' * 8191 + b'\n'), daemon=True).start()
        serve()
    elif MODE == 'foreign-channel':
        skip_stage1()
        control(**INIT)
        serve(on_data=foreign_frames)
    else:
        raise SystemExit('unknown MODE ' + MODE)
except (BrokenPipeError, ConnectionResetError):
    sys.exit(0)
