-- wrk script: claim + release pairs. Run with as many threads as connections (-t N -c N), so that each
-- connection is one client: it claims its own agent (PUT /api/v1/seats/{agent}), then releases it (DELETE),
-- and so on. The ACD token comes from INNOLICENSE_ACD_TOKEN. See scripts/bench-wrk.
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

function init(args)
    agent = "wrk-" .. id
    claiming = true
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("INNOLICENSE_ACD_TOKEN")
end

function request()
    local method = claiming and "PUT" or "DELETE"
    claiming = not claiming
    return wrk.format(method, "/api/v1/seats/" .. agent)
end
