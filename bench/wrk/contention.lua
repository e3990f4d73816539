-- wrk script: more clients than seats. Run with as many threads as connections (-t N -c N): each connection
-- claims its own agent (PUT /api/v1/seats/{agent}); granted (201), it releases at once (DELETE); denied (409),
-- it claims again; still held from a warm-up (200), it releases. Prints grants and denials per second. The ACD token comes from INNOLICENSE_ACD_TOKEN.
-- See scripts/bench-wrk.
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

function init(args)
    agent = "wrk-" .. id
    held = false
    pending = nil
    grants = 0
    denials = 0
    other = 0
    last_other = 0
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("INNOLICENSE_ACD_TOKEN")
end

function request()
    if held then
        pending = "release"
        return wrk.format("DELETE", "/api/v1/seats/" .. agent)
    end
    pending = "claim"
    return wrk.format("PUT", "/api/v1/seats/" .. agent)
end

function response(status, headers, body)
    if pending == "claim" then
        if status == 201 then
            grants = grants + 1
            held = true
        elseif status == 200 then
            -- renewed: still held from the warm-up run
            held = true
        elseif status == 409 then
            denials = denials + 1
        else
            -- not told: the claim may have been granted, so release to be sure (404 when it was not)
            other = other + 1
            last_other = status
            held = true
        end
    else
        held = false
        if status ~= 204 and status ~= 404 then
            other = other + 1
            last_other = status
        end
    end
end

function done(summary, latency, requests)
    local g, d, o, last = 0, 0, 0, 0
    for _, thread in ipairs(threads) do
        g = g + thread:get("grants")
        d = d + thread:get("denials")
        o = o + thread:get("other")
        if thread:get("last_other") ~= 0 then
            last = thread:get("last_other")
        end
    end
    local seconds = summary.duration / 1e6
    io.write(string.format("contention: %.0f grants/s, %.0f denials/s, %d unexpected answers (last status %d)\n",
        g / seconds, d / seconds, o, last))
end
