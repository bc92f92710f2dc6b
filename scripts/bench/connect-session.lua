-- wrk script for scripts/bench-connect.sh: every request opens a connect session.
wrk.method = "POST"
wrk.body = '{"action":"' .. os.getenv("ACTION") .. '"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
