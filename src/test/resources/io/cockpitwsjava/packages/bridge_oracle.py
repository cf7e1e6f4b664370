# Test oracle: asks the installed Cockpit Python bridge how it would answer package requests.
# stdin: {"cases": [{"path": "/x/y", "lang": "de" | null}], "proto": "https", "host": "gw:9090"}
# stdout: {"names": [...], "manifests": {...}, "results": [{"status": N, "type", "encoding", "csp", "body_hex"}]}
# The data/config directories come from XDG_DATA_HOME / XDG_DATA_DIRS / XDG_CONFIG_DIRS set by the test.
import json
import sys

from cockpit.packages import Packages

request = json.load(sys.stdin)
packages = Packages()
results = []
for case in request["cases"]:
    headers = {"X-Forwarded-Proto": request["proto"], "X-Forwarded-Host": request["host"]}
    if case.get("lang") is not None:
        headers["Accept-Language"] = case["lang"]
    try:
        doc = packages.load_path(case["path"], headers)
        body = doc.data.read()
    except KeyError:
        results.append({"status": 404})
        continue
    except ValueError:
        results.append({"status": 400})
        continue
    except OSError:
        results.append({"status": 500})
        continue
    csp = doc.content_security_policy
    if csp is not None:
        scheme = "wss" if request["proto"] == "https" else "ws"
        csp = csp.replace("connect-src 'self';", f"connect-src {scheme}://{request['host']} 'self';")
    results.append({"status": 200, "type": doc.content_type, "encoding": doc.content_encoding,
                    "csp": csp, "body_hex": body.hex()})

json.dump({"names": list(packages.packages),
           "manifests": json.loads(packages.manifests),
           "manifests_text": {name: json.dumps(dict(p.manifest)) for name, p in packages.packages.items()},
           "results": results}, sys.stdout)
