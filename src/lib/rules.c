/* rules.c - the catalogue of finding rules (see rules.h). */
#include "rules.h"

#include <string.h>

static const struct ac__rule_info catalogue[] =
    {
        {"shadow-host", "high", true, "traffic to one of your hosts that no deployment declares",
         "A host nobody declared is a host nobody manages. It is the beta environment that never got the production gateway's rate limiting, the forgotten 'crapi-old.example.com' still running last year's build, the team's experiment that became load-bearing. None of your inventory's controls (owners, retirement plans, protections, reviews) reach it, because the inventory does not know it exists. Attackers find such hosts through certificate transparency logs and DNS enumeration; API9 is largely about them.",
         "If the host should not exist, shut it down and remove its DNS name. If it is legitimate, declare it as a deployment of its API (manifest deployments[].url, with environment and audience) or list it in a spec's servers."},
        {"shadow-endpoint", "high", true, "traffic to a method and path that no spec documents",
         "An undocumented endpoint escapes everything that is driven by the documentation: security review, API gateway rules built from the spec, contract tests, penetration test scope, deprecation notices. The typical one is the crAPI log's: an admin route of an old version ('/v1/...' beside the documented '/v2/...') left in the code, answering with whatever authorisation it had years ago. A method that the spec does not list, such as a 'DELETE' on a read-only resource, may mean the framework routes more verbs than anyone intended. Public clients in the evidence mean the internet can reach it.",
         "If the endpoint is meant to exist, document it in the API's OpenAPI spec (path, method, security, responses) and import the spec. If not, remove the route or block it at the gateway."},
        {"shadow-version", "high", true, "traffic to a version of an API that nobody registered",
         "An unregistered version is a whole generation of the API that the inventory has no plan for: no owner's attention, no deprecation, no sunset. It is the '/v1/admin' beside the documented '/v2' of the OWASP API9 description, usually older code with older bugs.",
         "Retire the version if it should be gone (remove its routes, or answer 410 Gone). If it must stay for a while, register it in the manifest with its plan (status, deprecated, sunset, superseded_by) and document its operations."},
        {"zombie-deprecated", "medium", true,
         "successful traffic to a deprecated operation", "Deprecation is a promise to stop. Until the deprecated operation stops answering, it is attack surface that gets less care every month: fixes land in the replacement first, tests move on, and the people who knew the old code leave. The traffic tells you who still depends on it, which is what you need to finish the migration.", "Move the remaining clients to the replacement, using the evidence to find them, and send Deprecation and Sunset headers. Then switch the operation off (410 Gone) and remove it from the spec."},
        {"zombie-retired", "high", true,
         "successful traffic to a retired version, or after its sunset",
         "A retired version is one the inventory says is gone. If it still answers, the inventory is wrong in the most dangerous way: nobody watches, patches or tests it, and everybody believes it does not exist.",
         "Remove the routes, or make the gateway answer '410 Gone' for the version. If the version really has to live longer, say so honestly: set 'status: deprecated' and a new 'sunset' date in the manifest."},
        {"zombie-superseded", "high", true,
         "an old operation still answers beside its newer version, with no plan to retire it",
         "When a new version ships, the old one rarely gets switched off: it keeps working for the clients nobody migrated, and for attackers who simply change 'v3' to 'v2' in the URL. crAPI is built around this: its 'v3' check-otp documents a '503' answer for too many attempts, its 'v2' does not, and the way in is to brute-force the one-time password on 'v2'. Security fixes land in the newest version; the old one keeps the old bugs. Without a deprecation or sunset date, nothing will ever end this.",
         "Retire the old operation (remove the route, or answer 410 Gone, and remove it from the spec), or give it a plan: deprecated: true in its spec, or status, deprecated and sunset dates for its version in the manifest."},
        {"unpatched-old-version", "critical", true,
         "an old operation lacks a protection that its successor has",
         "This is the worst form of an old version left running: the weakness is already known and fixed, just not everywhere. Finding the older endpoint is a matter of editing one character of a URL.",
         "Retire the older operation, or backport the fix (authentication, rate limit, field removal) and document it in the older version's spec. If the older version does have the property and only its spec omits it, fix the spec."},
        {"orphan-operation", "info", true, "a documented operation has no traffic in the window",
         "A documented operation that nobody calls is one of two things. Either the endpoint is dead and should be retired (code that nobody uses still has to be patched and still answers attackers), or the spec is stale and describes something the service no longer does, and then the inventory is lying. Either way the documentation and reality have drifted apart. It is 'info' by default because a quiet period, or logs from only some hosts, produce it too.", "If the operation is gone from the service, remove it from the spec and import it. If nobody needs it, deprecate and retire it. If it should have traffic, check that the logs of every host that serves it are ingested."},
        {"dormant", "low", true, "an endpoint that had traffic has gone quiet",
         "An endpoint that stopped being used is a candidate for retirement. If it is left in place it keeps answering, and nobody will notice the next time it is called, by someone who should not.",
         "Confirm with the owner that it is no longer needed, then retire it. For seasonal endpoints, accept the finding with that reason."},
        {"unowned", "medium", true, "an API has no owner",
         "An API without an owner has nobody to patch it, answer an incident about it, approve its retirement or review its findings. Every other finding on it will stay open, because nobody is responsible for closing it. OWASP API9 starts its prevention list with an inventory that says who owns what.",
         "Set an owner, preferably in the manifest (apis[].owner: team <contact>), where it wins over Backstage's spec.owner and the spec's x-owner."},
        {"documentation-blindspot", "medium", true,
         "environment, audience, version, docs or retirement plan missing",
         "You cannot protect what you cannot describe. Without an environment nobody can say whether a host should hold real data; without an audience nobody can say whether the internet should reach it; without a plan, old versions live forever.",
         "Fill in the missing keys in the manifest (manifest.md): 'environment' and 'audience' on each deployment, 'docs' on the API, and 'status', 'sunset' and 'superseded_by' on versions that a newer one replaces."},
        {"undocumented-aspect", "low", true,
         "traffic shows security, errors, rate limits or CORS the spec does not document",
         "Clients, gateways and security reviewers rely on the spec. A rate limit or an authentication scheme that exists only in the code is one nobody can check or keep consistent across versions and deployments.",
         "Document it in the spec: 'securitySchemes' and 'security', the error responses, a '429' response with its 'RateLimit' or 'Retry-After' headers, the CORS headers."},
        {"review-overdue", "low", true, "an API's last review is older than its interval",
         "An inventory decays. Regular review is how owners, deployments, versions and data classes stay true.",
         "Review the API (owner, deployments, versions and their plans, open findings), then record it: 'review: {last: 2026-11-30, every_days: 90}' in the manifest."},
        {"nonprod-exposed", "high", true,
         "a non-production deployment is reachable from the internet", "Staging and test hosts usually lack production's protections, run debug builds and newer, less reviewed code, and often hold copies of real data. Reachable from the internet, they are the easiest way in.", "Restrict access (VPN, IP allowlist, authenticating gateway, mTLS) and declare the deployment's real audience ('internal' or 'partner'). If it has to be public, give it production's protections."},
        {"prod-data-in-nonprod", "high", true,
         "a non-production deployment holds production or sensitive data",
         "Non-production environments have weaker access control and more people with access. Real customer data there is a breach waiting to happen.",
         "Use synthetic or masked data, then declare 'production_data: false'."},
        {"protection-gap", "high", true,
         "a sibling deployment or older version lacks the protection production has",
         "Attackers do not use the protected front door when a side door exists: the beta host without the rate limit, the 'v2' without the WAF. A protection is only as good as its weakest deployment.",
         "Put the same protections in front of every deployment and version, and declare them ('protections: [rate-limit, waf]'), or retire the unprotected one."},
        {"auth-gap", "critical", true,
         "an operation that requires credentials answered without them",
         "The documentation says the operation is protected, and it is not. It often happens on an old version or a secondary deployment that missed an authentication middleware.",
         "Enforce authentication in the service or at the gateway. If the operation is meant to be public, say so in the spec ('security: []')."},
        {"exposed-documentation", "medium", true,
         "API documentation answers without credentials where it should not",
         "A spec is a map of every endpoint, parameter and internal route. On an internal or partner deployment it hands an attacker the inventory you are trying to keep.",
         "Remove the documentation from non-public deployments, or put it behind authentication."},
        {"forwarded-header-bypass", "critical", true,
         "'X-Forwarded-For: 127.0.0.1' opens a closed endpoint",
         "The service trusts a header that any client can set, and takes the caller for a local or internal one. Every access rule based on the client's address is void.",
         "Strip client-supplied forwarding headers at the edge and let only your own proxies set them; authorise by identity, not by address."},
        {"outdated-software", "medium", true,
         "a 'Server' or 'X-Powered-By' version below 'minimum_versions'",
         "Old server and framework versions carry published vulnerabilities, and forgotten hosts are the ones that fall behind.",
         "Upgrade. Hiding the version banner ('server_tokens off') makes the finding go away but not the vulnerability."},
        {"dataflow-unapproved", "high", true,
         "an integration shares sensitive data without justification or approval",
         "API9 covers data flows too: sensitive data sent to a third party must have a reason and someone accountable for it.",
         "Add 'justification' (a contract, a ticket) and 'approved: {by: ..., on: ...}', or stop sending the data."},
        {"dataflow-undeclared", "medium", true,
         "outbound traffic to a third party that is no declared integration",
         "Data leaving the organisation to a party nobody declared has no contract, no approval and no data-class review.",
         "Declare the integration in 'integrations[]' with its direction, purpose, data classes, justification and approval, or stop the calls."},
        {"dataflow-excess", "high", true, "more data classes flow to a third party than declared",
         "The approval covered some data; more is flowing. That is a privacy and compliance breach even when every request is authenticated.",
         "Stop sending the extra fields (data minimisation), or declare them and get the integration approved again."},
};

const struct ac__rule_info *ac__rules(size_t *n)
{
    *n = sizeof(catalogue) / sizeof(catalogue[0]);
    return catalogue;
}

const struct ac__rule_info *ac__rule_find(const char *id)
{
    size_t i;

    for (i = 0; id != NULL && i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
        if (strcmp(catalogue[i].id, id) == 0)
            return &catalogue[i];
    return NULL;
}
