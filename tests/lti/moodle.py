"""A local stand-in for Moodle's REST web services (``/webservice/rest/server.php``): a real HTTP server on
127.0.0.1 answering the group functions the tool calls, in Moodle 4.5's shapes.

Copied from Moodle's source (github.com/moodle/moodle):
- the REST server, ``webservice/rest/locallib.php`` (``webservice_rest_server``): parameters as a form post
  (``wstoken``, ``wsfunction``, ``moodlewsrestformat=json``, lists as ``name[0]=``), HTTP 200 for errors too,
  the error as ``{"exception": <class>, "errorcode": <code>, "message": <text>}`` (``generate_error``);
- ``webservice/lib.php``: an unknown token is ``moodle_exception`` ``invalidtoken`` ("Invalid token - token not
  found"); a function not in the token's service is ``webservice_access_exception`` ``accessexception``
  ("Access control exception");
- ``group/externallib.php`` (``core_group_external``): ``get_course_groups`` (a list of id, courseid, name,
  description, descriptionformat, enrolmentkey, idnumber, visibility, participation, timecreated,
  timemodified), ``get_course_user_groups`` (``{"groups": [id, name, description, descriptionformat, idnumber,
  courseid], "warnings": []}``, optionally within ``groupingid``), ``get_group_members`` (``[{"groupid",
  "userids"}]``), ``get_course_groupings`` and ``get_groupings`` (with ``returngroups``, each grouping's
  ``groups``).
"""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

PATH = "/webservice/rest/server.php"


def _error(exception, code, message):
    return {"exception": exception, "errorcode": code, "message": message}


class MoodleStandIn:
    def __init__(self, token="moodle-ws-token-1"):
        self.token = token
        self.allowed = {"core_group_get_course_groups", "core_group_get_course_user_groups",
                        "core_group_get_group_members", "core_group_get_course_groupings", "core_group_get_groupings"}
        self.courses = {}  # course id: {group id: name}
        self.members = {}  # group id: [user ids]
        self.groupings = {}  # grouping id: (course id, name, [group ids])
        self.calls = []  # (function, params without the token)
        self.tokens_seen = []
        self.delay = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def add_group(self, course, group_id, name, members=()):
        self.courses.setdefault(str(course), {})[int(group_id)] = name
        self.members[int(group_id)] = [int(m) for m in members]

    def functions(self, function):
        return [params for name, params in self.calls if name == function]

    # ----- Moodle's functions ------------------------------------------------------------------------------
    def _group(self, course, group_id):
        return {"id": group_id, "courseid": int(course), "name": self.courses[str(course)][group_id],
                "description": "", "descriptionformat": 1, "enrolmentkey": "", "idnumber": "",
                "visibility": 0, "participation": True, "timecreated": 1764000000, "timemodified": 1764000000}

    def _course_of(self, group_id):
        return next(c for c, groups in self.courses.items() if group_id in groups)

    def answer(self, function, params):
        if function == "core_group_get_course_groups":
            course = params["courseid"]
            return [self._group(course, g) for g in sorted(self.courses.get(course, {}))]
        if function == "core_group_get_course_user_groups":
            course, user = params.get("courseid", "0"), int(params.get("userid", "0"))
            within = set(self.groupings[params["groupingid"]][2]) if params.get("groupingid") else None
            groups = [{"id": g, "name": n, "description": "", "descriptionformat": 1, "idnumber": "",
                       "courseid": int(course)}
                      for g, n in sorted(self.courses.get(course, {}).items())
                      if user in self.members.get(g, []) and (within is None or g in within)]
            return {"groups": groups, "warnings": []}
        if function == "core_group_get_group_members":
            ids = [int(v) for k, v in sorted(params.items()) if k.startswith("groupids[")]
            return [{"groupid": g, "userids": self.members.get(g, [])} for g in ids]
        if function == "core_group_get_course_groupings":
            return [{"id": int(i), "courseid": int(c), "name": n, "description": "", "descriptionformat": 1,
                     "idnumber": ""} for i, (c, n, _g) in sorted(self.groupings.items()) if c == params["courseid"]]
        if function == "core_group_get_groupings":
            ids = [v for k, v in sorted(params.items()) if k.startswith("groupingids[")]
            result = []
            for ident in ids:
                course, name, groups = self.groupings[ident]
                item = {"id": int(ident), "courseid": int(course), "name": name, "description": "",
                        "descriptionformat": 1, "idnumber": "", "timecreated": 1764000000, "timemodified": 1764000000}
                if params.get("returngroups") == "1":
                    item["groups"] = [{"id": g, "name": self.courses[course][g], "description": "",
                                       "descriptionformat": 1, "enrolmentkey": "", "idnumber": ""} for g in groups]
                result.append(item)
            return result
        return _error("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table "
                      "external_functions.")

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if standin.delay:
                    time.sleep(standin.delay)
                if self.path != PATH:
                    return self._send(404, b"Not found")
                token, function = form.pop("wstoken", ""), form.pop("wsfunction", "")
                standin.tokens_seen.append(token)
                fmt = form.pop("moodlewsrestformat", "")
                standin.calls.append((function, form))
                if token != standin.token:
                    body = _error("moodle_exception", "invalidtoken", "Invalid token - token not found")
                elif function not in standin.allowed:
                    body = _error("webservice_access_exception", "accessexception", "Access control exception")
                else:
                    body = standin.answer(function, form)
                if fmt != "json":
                    return self._send(200, b"<?xml version=\"1.0\"?><RESPONSE/>", "application/xml")
                return self._send(200, json.dumps(body).encode())

            def _send(self, status, data, content_type="application/json"):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler
