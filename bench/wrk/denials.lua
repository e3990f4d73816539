-- wrk script: claims that are all denied. Run with as many threads as connections (-t N -c N) against a server
-- whose seats are all held by other agents (scripts/bench-wrk fills them first): each connection claims its
-- own agent (PUT /api/v1/seats/{agent}) again and again, and every answer is 409 seat-limit-reached. The ACD
-- token comes from INNOLICENSE_ACD_TOKEN. See scripts/bench-wrk.
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
end

function init(args)
    wrk.method = "PUT"
    wrk.path = "/api/v1/seats/wrk-" .. id
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("INNOLICENSE_ACD_TOKEN")
end
