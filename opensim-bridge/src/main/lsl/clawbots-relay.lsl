// clawbots-relay.lsl - the ClawBots World relay for one OpenSim region.
//
// It makes the NPCs that mirror the world's agents. It asks for an HTTP-in URL, registers it with
// the ClawBots server (POST /v1/opensim/relay), runs the batches of NPC commands the server POSTs
// to that URL, and reports what people (never NPCs) say on the public channel
// (POST /v1/opensim/chat). After a region restart the URL and every NPC are gone: it asks for a
// new URL and registers again, and the server makes the NPCs again.
//
// Setup (docs/opensim.md): put it in a prim of the region, owned by the estate owner or a manager
// that the grid's OSSL permissions allow osNpc* functions; set SERVER and SECRET below.
//
// The protocol: the server POSTs {"batch": n, "cmds": [[op, ...], ...]} (at most 2048 bytes)
// with the header x-clawbots-secret; the script answers {"batch": n, "results": [...]}, one
// result per command:
//   ["c", first, last, x, y, z]      osNpcCreate            -> the NPC's key, or NULL_KEY
//   ["m", npc, x, y, z, running]     osNpcMoveToTarget      -> "ok" or "gone"
//   ["s", npc, "w"|"n"|"s", text]    osNpcWhisper/Say/Shout -> "ok" or "gone"
//   ["a", npc, animation]            osNpcPlayAnimation     -> "ok" or "gone"
//   ["r", npc]                       osNpcRemove            -> "ok" or "gone"

string SERVER = "http://clawbots.example:8080"; // the ClawBots server, without a trailing slash
string SECRET = "change-me";                    // the server's OPENSIM_RELAY_SECRET

integer MAX_OUTBOX = 40;   // people's chat lines waiting to be posted; past it the oldest goes
float SEND_EVERY = 1.1;    // HTTP-out allows 1 request a second per prim (burst 3)
float RETRY_AFTER = 30.0;  // a failed URL request or registration is tried again after this

string relayUrl = "";
key urlRequest = NULL_KEY;
key registration = NULL_KEY;
integer registered = FALSE;
float retryAt = -1.0;      // llGetTime() when to ask for a URL or register again; -1: not due
list outbox = [];          // JSON bodies of people's chat, oldest first

requestUrl()
{
    if (relayUrl != "")
    {
        llReleaseURL(relayUrl);
    }
    relayUrl = "";
    registered = FALSE;
    urlRequest = llRequestURL();
}

register()
{
    string body = llList2Json(JSON_OBJECT, [
        "region", llGetRegionName(),
        "url", relayUrl,
        "secret", SECRET]);
    registration = llHTTPRequest(SERVER + "/v1/opensim/relay", [
        HTTP_METHOD, "POST",
        HTTP_MIMETYPE, "application/json",
        HTTP_BODY_MAXLENGTH, 4096], body);
}

retryLater()
{
    retryAt = llGetTime() + RETRY_AFTER;
    llSetTimerEvent(SEND_EVERY);
}

vector at(list cmd, integer from)
{
    return <llList2Float(cmd, from), llList2Float(cmd, from + 1), llList2Float(cmd, from + 2)>;
}

// Runs one command of a batch; its result for the server.
string run(list cmd)
{
    string op = llList2String(cmd, 0);
    if (op == "c")
    {
        // Not owned, so that anyone may see it as a plain avatar; sensed as an agent by sensors.
        key made = osNpcCreate(llList2String(cmd, 1), llList2String(cmd, 2), at(cmd, 3), "",
            OS_NPC_NOT_OWNED | OS_NPC_SENSE_AS_AGENT);
        return (string)made;
    }
    key npc = (key)llList2String(cmd, 1);
    if (!osIsNpc(npc))
    {
        return "gone";
    }
    if (op == "m")
    {
        integer options = OS_NPC_NO_FLY;
        if (llList2Integer(cmd, 5))
        {
            options = options | OS_NPC_RUNNING;
        }
        osNpcMoveToTarget(npc, at(cmd, 2), options);
    }
    else if (op == "s")
    {
        string how = llList2String(cmd, 2);
        string text = llList2String(cmd, 3);
        if (how == "w")
        {
            osNpcWhisper(npc, 0, text);
        }
        else if (how == "s")
        {
            osNpcShout(npc, 0, text);
        }
        else
        {
            osNpcSay(npc, 0, text);
        }
    }
    else if (op == "a")
    {
        osNpcPlayAnimation(npc, llList2String(cmd, 2));
    }
    else if (op == "r")
    {
        osNpcRemove(npc);
    }
    else
    {
        return "unknown";
    }
    return "ok";
}

default
{
    state_entry()
    {
        requestUrl();
        llListen(0, "", NULL_KEY, "");
    }

    on_rez(integer start)
    {
        llResetScript();
    }

    changed(integer change)
    {
        // A restarted region dropped our URL and every NPC: a new URL, registered again, makes
        // the server resynchronise.
        if (change & (CHANGED_REGION_START | CHANGED_REGION))
        {
            requestUrl();
        }
        if (change & CHANGED_OWNER)
        {
            llResetScript();
        }
    }

    http_request(key id, string method, string body)
    {
        if (id == urlRequest)
        {
            urlRequest = NULL_KEY;
            if (method == URL_REQUEST_GRANTED)
            {
                relayUrl = body;
                register();
            }
            else
            {
                llOwnerSay("ClawBots relay: no URL (" + body + "); trying again in 30 s");
                retryLater();
            }
            return;
        }
        if (method != "POST")
        {
            llHTTPResponse(id, 405, "POST only");
            return;
        }
        // Header names are matched as sent by some grids: ask for both spellings.
        string given = llGetHTTPHeader(id, "x-clawbots-secret");
        if (given == "")
        {
            given = llGetHTTPHeader(id, "X-ClawBots-Secret");
        }
        if (given != SECRET)
        {
            llHTTPResponse(id, 403, "forbidden");
            return;
        }
        // Answered within the same event, well inside the 25 s the grid waits for a script.
        list cmds = llJson2List(llJsonGetValue(body, ["cmds"]));
        list results = [];
        integer n = llGetListLength(cmds);
        integer i;
        for (i = 0; i < n; ++i)
        {
            results += [run(llJson2List(llList2String(cmds, i)))];
        }
        llSetContentType(id, 5); // CONTENT_TYPE_JSON
        llHTTPResponse(id, 200, llList2Json(JSON_OBJECT, [
            "batch", (integer)llJsonGetValue(body, ["batch"]),
            "results", llList2Json(JSON_ARRAY, results)]));
    }

    http_response(key id, integer status, list metadata, string body)
    {
        if (id == registration)
        {
            registration = NULL_KEY;
            if (status == 200)
            {
                registered = TRUE;
                retryAt = -1.0;
            }
            else
            {
                // 499: the server is unreachable (or blocked: OutboundDisallowForUserScriptsExcept).
                llOwnerSay("ClawBots relay: registration answered " + (string)status + " " + body);
                retryLater();
            }
        }
        else if (status != 202)
        {
            llOwnerSay("ClawBots relay: chat answered " + (string)status + " " + body);
        }
    }

    listen(integer channel, string name, key id, string message)
    {
        // People only: not NPCs (ours say what the world already heard), not objects.
        if (osIsNpc(id) || llGetAgentSize(id) == ZERO_VECTOR)
        {
            return;
        }
        vector pos = llList2Vector(llGetObjectDetails(id, [OBJECT_POS]), 0);
        outbox += [llList2Json(JSON_OBJECT, [
            "region", llGetRegionName(),
            "secret", SECRET,
            "name", name,
            "avatar_id", (string)id,
            "text", message,
            "position", llList2Json(JSON_OBJECT, ["x", pos.x, "y", pos.y, "z", pos.z])])];
        if (llGetListLength(outbox) > MAX_OUTBOX)
        {
            outbox = llDeleteSubList(outbox, 0, 0);
        }
        llSetTimerEvent(SEND_EVERY);
    }

    timer()
    {
        if (retryAt >= 0.0 && llGetTime() >= retryAt)
        {
            retryAt = -1.0;
            if (relayUrl == "")
            {
                requestUrl();
            }
            else
            {
                register();
            }
            return; // this tick's one request
        }
        if (registered && outbox != [])
        {
            llHTTPRequest(SERVER + "/v1/opensim/chat", [
                HTTP_METHOD, "POST",
                HTTP_MIMETYPE, "application/json"], llList2String(outbox, 0));
            outbox = llDeleteSubList(outbox, 0, 0);
        }
        if (outbox == [] && retryAt < 0.0)
        {
            llSetTimerEvent(0.0);
        }
    }
}
