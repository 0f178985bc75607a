#!/usr/bin/env python3
"""Takes the README's console screenshots with Debian's chromium + chromedriver.

Usage: tools/screenshot.py BASE_URL OUT_DIR   (a server started with `gongshu serve --demo`)
Writes OUT_DIR/console.png (desktop) and OUT_DIR/console-phone.png (390 px wide).
"""
import base64, json, socket, subprocess, sys, tempfile, time, urllib.request

def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)["value"]

def main(site, out):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    drv = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/status"); break
            except OSError:
                time.sleep(0.1)
        for name, width, height in [("console", 1280, 800), ("console-phone", 390, 844)]:
            caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars",
                f"--window-size={width},{height}", f"--user-data-dir={tempfile.mkdtemp()}"]}}}}
            sid = call(base, "POST", "/session", caps)["sessionId"]
            sp = f"/session/{sid}"
            call(base, "POST", sp + "/url", {"url": site + "/login"})
            for css, text in [("#username", "admin"), ("#password", "gongshu-demo")]:
                el = list(call(base, "POST", sp + "/element", {"using": "css selector", "value": css}).values())[0]
                call(base, "POST", f"{sp}/element/{el}/value", {"text": text})
            el = list(call(base, "POST", sp + "/element", {"using": "css selector", "value": "#login-submit"}).values())[0]
            call(base, "POST", f"{sp}/element/{el}/click", {})
            time.sleep(0.5)
            call(base, "POST", sp + "/url", {"url": site + "/console/orgs"})
            time.sleep(0.5)
            png = base64.b64decode(call(base, "GET", sp + "/screenshot"))
            open(f"{out}/{name}.png", "wb").write(png)
            call(base, "DELETE", sp)
    finally:
        drv.kill()

if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2])
