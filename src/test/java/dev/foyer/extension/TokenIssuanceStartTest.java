package dev.foyer.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.signin.OidcTestClients;
import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The token issuance start event against a real HTTP server standing in for the customer's API: the request is
 * Entra External ID's, the bearer token validates with the tenant's JWKS, the claims reach the tokens, and every way
 * the API can fail ends as configured.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class TokenIssuanceStartTest extends FoyerIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PASSWORD = "extension test passphrase";

	private static final String CLAIMS_ANSWER = """
			{"data": {"@odata.type": "microsoft.graph.onTokenIssuanceStartResponseData",
			  "actions": [{"@odata.type": "microsoft.graph.tokenIssuanceStart.provideClaimsForToken",
			    "claims": {"loyaltyNumber": "LN-42", "customRoles": ["Writer", "Editor"], "undeclared": "no"}}]}}""";

	private final AtomicReference<StandIn.Reply> answer = new AtomicReference<>();

	private final List<Map<String, Object>> calls = new CopyOnWriteArrayList<>();

	private StandIn standIn;

	private String tenant;

	private JsonNode app;

	private String email;

	private String extensions;

	@BeforeEach
	void standIn() {
		this.standIn = new StandIn().on("/claims", request -> {
			this.calls.add(Map.of("authorization", String.valueOf(request.authorization()),
					"contentType", String.valueOf(request.contentType()), "body", request.body()));
			return this.answer.get();
		});
		this.tenant = api().newTenant("ext");
		this.extensions = "/api/v1/tenants/" + this.tenant + "/identity/customAuthenticationExtensions";
		this.app = api().post("/api/v1/tenants/" + this.tenant + "/applications", Map.of("displayName", "Shop", "type", "web",
				"redirectUris", List.of(api().base() + "/callback"))).json();
		this.email = "ext." + System.nanoTime() + "@example.com";
		api().post("/api/v1/tenants/" + this.tenant + "/users", Map.of("email", this.email, "password", PASSWORD,
				"displayName", "Ext Person"));
	}

	private Api api() {
		return this.api;
	}

	@AfterEach
	void stop() {
		this.standIn.close();
	}

	/** The body of Entra's documentation, with this stand-in's URL. */
	private String createExtension(Map<String, Object> overrides) {
		Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of(
				"@odata.type", "#microsoft.graph.onTokenIssuanceStartCustomExtension",
				"displayName", "onTokenIssuanceStartCustomExtension",
				"description", "Fetch additional claims from custom user store",
				"endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint",
						"targetUrl", this.standIn.url("/claims")),
				"authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication",
						"resourceId", "api://authenticationeventsAPI.contoso.com/00001111-aaaa-2222-bbbb-3333cccc4444"),
				"clientConfiguration", Map.of("timeoutInMilliseconds", 2000, "maximumRetries", 1),
				"claimsForTokenConfiguration", List.of(Map.of("claimIdInApiResponse", "loyaltyNumber"),
						Map.of("claimIdInApiResponse", "customRoles"))));
		body.putAll(overrides);
		Api.Response created = api().post(this.extensions, body);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		String id = created.json().get("id").asString();
		Api.Response listener = api().post("/api/v1/tenants/" + this.tenant + "/identity/authenticationEventListeners", Map.of(
				"@odata.type", "#microsoft.graph.onTokenIssuanceStartListener",
				"conditions", Map.of("applications", Map.of("includeApplications", List.of(Map.of("appId",
						this.app.get("clientId").asString())))),
				"priority", 500,
				"handler", Map.of("@odata.type", "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
						"customExtension", Map.of("id", id))));
		assertThat(listener.status()).as(listener.text()).isEqualTo(201);
		return id;
	}

	/** Signs in through the hosted page and exchanges the code; returns the token endpoint's answer. */
	private com.nimbusds.oauth2.sdk.TokenResponse signIn(OidcTestClients.Client rp) throws Exception {
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			browser.fill("Email address", this.email).fill("Password", PASSWORD).click("Sign in");
			return rp.exchangeForAnswer(AuthenticationResponseParser.parse(browser.url()));
		}
	}

	@Test
	void theExtensionsClaimsReachBothTokensAndItsRequestIsEntras() throws Exception {
		this.answer.set(new StandIn.Reply(200, "application/json; charset=utf-8", CLAIMS_ANSWER, 0));
		String extensionId = createExtension(Map.of());
		var rp = OidcTestClients.client(api(), this.tenant, this.app);
		var tokens = (OIDCTokenResponse) signIn(rp).toSuccessResponse();

		JWTClaimsSet id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
		assertThat(id.getStringClaim("loyaltyNumber")).isEqualTo("LN-42");
		assertThat(id.getStringListClaim("customRoles")).containsExactly("Writer", "Editor");
		assertThat(id.getClaim("undeclared")).isNull();
		JWTClaimsSet access = SignedJWT.parse(tokens.getOIDCTokens().getAccessToken().getValue()).getJWTClaimsSet();
		assertThat(access.getStringClaim("loyaltyNumber")).isEqualTo("LN-42");
		// One call for the token request, shared by its ID and access tokens.
		assertThat(this.calls).hasSize(1);

		Map<String, Object> call = this.calls.get(0);
		assertThat(call.get("contentType")).asString().startsWith("application/json");
		ExtensionContract.assertValidRequest((String) call.get("body"));
		JsonNode body = JSON.readTree((String) call.get("body"));
		assertThat(body.get("type").asString()).isEqualTo("microsoft.graph.authenticationEvent.tokenIssuanceStart");
		assertThat(body.get("source").asString())
			.isEqualTo("/tenants/" + this.tenant + "/applications/" + this.app.get("clientId").asString());
		JsonNode data = body.get("data");
		assertThat(data.get("@odata.type").asString()).isEqualTo("microsoft.graph.onTokenIssuanceStartCalloutData");
		assertThat(data.get("tenantId").asString()).isEqualTo(this.tenant);
		assertThat(data.get("customAuthenticationExtensionId").asString()).isEqualTo(extensionId);
		assertThat(data.get("authenticationEventListenerId").asString()).isNotBlank();
		JsonNode context = data.get("authenticationContext");
		assertThat(context.get("correlationId").asString()).isNotBlank();
		assertThat(context.get("protocol").asString()).isEqualTo("OAUTH2.0");
		// The address the token request came from.
		assertThat(context.get("client").get("ip").asString()).isEqualTo("127.0.0.1");
		assertThat(context.get("clientServicePrincipal").get("appId").asString()).isEqualTo(this.app.get("clientId").asString());
		assertThat(context.get("user").get("mail").asString()).isEqualTo(this.email);
		assertThat(context.get("user").get("displayName").asString()).isEqualTo("Ext Person");

		// The stand-in validates the bearer token as it would validate Entra's: the tenant's JWKS, issuer, audience.
		String bearer = ((String) call.get("authorization")).substring("Bearer ".length());
		SignedJWT jwt = SignedJWT.parse(bearer);
		JWKSet jwks = JWKSet.parse(api().get("/t/" + this.tenant + "/oauth2/jwks", null).text());
		RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(api().issuer(this.tenant));
		assertThat(jwt.getJWTClaimsSet().getAudience())
			.containsExactly("api://authenticationeventsAPI.contoso.com/00001111-aaaa-2222-bbbb-3333cccc4444");
		assertThat(jwt.getJWTClaimsSet().getStringClaim("azp")).isEqualTo(ExtensionCalls.FOYER_CLIENT_ID);
		assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isInTheFuture();
	}

	@Test
	void anEntraClaimsMappingPolicyRenamesTheExtensionsClaims() throws Exception {
		this.answer.set(new StandIn.Reply(200, "application/json", CLAIMS_ANSWER, 0));
		createExtension(Map.of());
		String policyPath = "/api/v1/tenants/" + this.tenant + "/applications/" + this.app.get("id").asString()
				+ "/claimsMappingPolicy";
		for (String bad : List.of(
				"{\"ClaimsMappingPolicy\": {\"Version\": 2, \"ClaimsSchema\": []}}",
				"{\"ClaimsMappingPolicy\": {\"Version\": 1, \"IncludeBasicClaimSet\": \"false\", \"ClaimsSchema\": []}}",
				"{\"ClaimsMappingPolicy\": {\"Version\": 1, \"ClaimsSchema\": [{\"Source\": \"transformation\", \"ID\": \"x\", \"JwtClaimType\": \"x\"}]}}",
				"{\"ClaimsMappingPolicy\": {\"Version\": 1, \"ClaimsSchema\": [{\"Source\": \"user\", \"ID\": \"givenname\", \"JwtClaimType\": \"sub\"}]}}",
				"{\"ClaimsMappingPolicy\": {\"Version\": 1, \"ClaimsSchema\": [{\"Source\": \"user\", \"ID\": \"shoesize\", \"JwtClaimType\": \"shoe\"}]}}",
				"{\"policy\": 1}")) {
			assertThat(api().put(policyPath, bad).status()).as(bad).isEqualTo(400);
		}
		Api.Response put = api().put(policyPath, """
				{"ClaimsMappingPolicy": {"Version": 1, "IncludeBasicClaimSet": "true", "ClaimsSchema": [
				  {"Source": "user", "ID": "displayname", "JwtClaimType": "display"},
				  {"Source": "CustomClaimsProvider", "ID": "loyaltyNumber", "JwtClaimType": "loyalty"},
				  {"Source": "CustomClaimsProvider", "ID": "customRoles", "JwtClaimType": "app_roles"}]}}""");
		assertThat(put.status()).as(put.text()).isEqualTo(200);
		assertThat(put.json().get("claimsMapping").get(1).get("source").asString()).isEqualTo("customClaimsProvider:loyaltyNumber");

		var rp = OidcTestClients.client(api(), this.tenant, this.app);
		var tokens = (OIDCTokenResponse) signIn(rp).toSuccessResponse();
		JWTClaimsSet id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
		assertThat(id.getStringClaim("loyalty")).isEqualTo("LN-42");
		assertThat(id.getStringListClaim("app_roles")).containsExactly("Writer", "Editor");
		assertThat(id.getStringClaim("display")).isEqualTo("Ext Person");
		assertThat(id.getClaim("loyaltyNumber")).isNull();
		JWTClaimsSet access = SignedJWT.parse(tokens.getOIDCTokens().getAccessToken().getValue()).getJWTClaimsSet();
		assertThat(access.getStringClaim("loyalty")).isEqualTo("LN-42");
	}

	@Test
	void aFailingExtensionEndsTheTokenRequestWithEntrasCodeUnlessSetToContinue() throws Exception {
		String extensionId = createExtension(Map.of("clientConfiguration", Map.of("timeoutInMilliseconds", 300,
				"maximumRetries", 1)));
		var rp = OidcTestClients.client(api(), this.tenant, this.app);
		record Case(StandIn.Reply answer, String code, int calls) {
		}
		String twoActions = CLAIMS_ANSWER.replace("\"actions\": [{", "\"actions\": [{\"@odata.type\": \"x\"}, {");
		for (Case c : List.of(
				new Case(new StandIn.Reply(500, "application/json", "{}", 0), "1003002", 2),
				new Case(new StandIn.Reply(403, "application/json", "{}", 0), "1003002", 1),
				new Case(new StandIn.Reply(200, "text/plain", CLAIMS_ANSWER, 0), "1003006", 1),
				new Case(new StandIn.Reply(200, "application/json", "not json", 0), "1003003", 1),
				new Case(new StandIn.Reply(200, "application/json", twoActions, 0), "1003010", 1),
				new Case(new StandIn.Reply(200, "application/json", CLAIMS_ANSWER.replace("provideClaimsForToken", "somethingElse"), 0),
						"1003012", 1),
				new Case(new StandIn.Reply(200, "application/json", CLAIMS_ANSWER, 1000), "1003005", 1),
				// Valid JSON if read whole, but past the 64 KiB an answer may have.
				new Case(StandIn.Reply.json(" ".repeat(ExtensionCalls.MAX_RESPONSE_BYTES) + CLAIMS_ANSWER), "1003024", 1))) {
			this.calls.clear();
			this.answer.set(c.answer());
			var result = signIn(rp);
			assertThat(result.indicatesSuccess()).as(c.toString()).isFalse();
			TokenErrorResponse error = result.toErrorResponse();
			assertThat(error.getErrorObject().getCode()).isEqualTo("server_error");
			assertThat(error.getErrorObject().getDescription()).as(c.toString()).contains(c.code()).contains("reference");
			assertThat(this.calls).as(c.toString()).hasSize(c.calls());
			// A good answer in between, so that these seven failures in a row do not open the circuit.
			this.answer.set(new StandIn.Reply(200, "application/json", CLAIMS_ANSWER, 0));
			assertThat(api().post(this.extensions + "/" + extensionId + "/test", Map.of()).json().get("succeeded").asBoolean())
				.isTrue();
		}

		// Set to continue: the same failure gives tokens without the extension's claims.
		assertThat(api().patch(this.extensions + "/" + extensionId,
				Map.of("behaviorOnError", Map.of("@odata.type", "#microsoft.graph.fallbackToMicrosoftProviderOnError")))
			.status()).isEqualTo(200);
		this.answer.set(new StandIn.Reply(500, "application/json", "{}", 0));
		var tokens = (OIDCTokenResponse) signIn(rp).toSuccessResponse();
		assertThat(tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getClaim("loyaltyNumber")).isNull();

		// An app the listener does not include is never held up by the extension.
		JsonNode other = api().post("/api/v1/tenants/" + this.tenant + "/applications", Map.of("displayName", "Other",
				"type", "web", "redirectUris", List.of(api().base() + "/callback"))).json();
		this.calls.clear();
		assertThat(signIn(OidcTestClients.client(api(), this.tenant, other)).indicatesSuccess()).isTrue();
		assertThat(this.calls).isEmpty();

		// Graph's PATCH of the listener brings the other app in; its @odata.type cannot change.
		String listeners = "/api/v1/tenants/" + this.tenant + "/identity/authenticationEventListeners";
		String listenerId = api().get(listeners).json().get("items").get(0).get("id").asString();
		assertThat(api().patch(listeners + "/" + listenerId, Map.of("@odata.type", "#microsoft.graph.onEmailOtpSendListener"))
			.status()).isEqualTo(400);
		assertThat(api().patch(listeners + "/" + listenerId, Map.of("conditions", Map.of("applications",
				Map.of("includeApplications", List.of(Map.of("appId", "no-such-app"))))))
			.status()).isEqualTo(400);
		Api.Response patched = api().patch(listeners + "/" + listenerId, Map.of("conditions", Map.of("applications",
				Map.of("includeApplications", List.of(Map.of("appId", other.get("clientId").asString()))))));
		assertThat(patched.status()).as(patched.text()).isEqualTo(200);
		assertThat(patched.json().get("handler").get("customExtension").get("id").asString()).isNotBlank();
		assertThat(signIn(OidcTestClients.client(api(), this.tenant, other)).indicatesSuccess()).isTrue();
		assertThat(this.calls).isNotEmpty();
	}

	@Test
	void anAnswerIsReadNoFurtherThanItsLimitAndNoLongerThanTheTimeout() {
		// An answer that does not end: Foyer stops reading after 64 KiB and drops the connection.
		AtomicLong endless = this.standIn.endless("/endless", 16 * 1024, 0, 256L * 1024 * 1024);
		String large = createExtension(Map.of("endpointConfiguration", Map.of("@odata.type",
				"#microsoft.graph.httpRequestEndpoint", "targetUrl", this.standIn.url("/endless"))));
		JsonNode tooLarge = api().post(this.extensions + "/" + large + "/test", Map.of()).json();
		assertThat(tooLarge.get("succeeded").asBoolean()).isFalse();
		assertThat(tooLarge.get("errorCode").asInt()).isEqualTo(1003024);
		// What loopback's socket buffers took beyond what Foyer read; reading on would have taken all 256 MiB.
		assertThat(endless.get()).isLessThan(32L * 1024 * 1024);

		// A byte every 50 ms after prompt headers: the timeout (500 ms) covers the body too.
		this.standIn.endless("/trickle", 1, 50, 200);
		String slow = createExtension(Map.of("endpointConfiguration", Map.of("@odata.type",
				"#microsoft.graph.httpRequestEndpoint", "targetUrl", this.standIn.url("/trickle")),
				"clientConfiguration", Map.of("timeoutInMilliseconds", 500, "maximumRetries", 0)));
		long started = System.nanoTime();
		JsonNode trickled = api().post(this.extensions + "/" + slow + "/test", Map.of()).json();
		assertThat(trickled.get("errorCode").asInt()).as(trickled.toString()).isEqualTo(1003005);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void theTestCallShowsTheAnswerAndFiveFailuresInARowOpenTheCircuit() {
		this.answer.set(new StandIn.Reply(200, "application/json", CLAIMS_ANSWER, 0));
		String id = createExtension(Map.of("clientConfiguration", Map.of("maximumRetries", 0)));
		String test = this.extensions + "/" + id + "/test";
		JsonNode ok = api().post(test, Map.of()).json();
		assertThat(ok.get("succeeded").asBoolean()).isTrue();
		assertThat(ok.get("claims").get("loyaltyNumber").asString()).isEqualTo("LN-42");
		assertThat(ok.get("claims").has("undeclared")).isFalse();
		assertThat(JSON.readTree((String) this.calls.get(0).get("body")).get("data").get("authenticationContext").get("user")
			.get("mail").asString()).isEqualTo("test.user@example.com");

		this.answer.set(new StandIn.Reply(503, "application/json", "{}", 0));
		for (int i = 0; i < 5; i++) {
			JsonNode failed = api().post(test, Map.of()).json();
			assertThat(failed.get("succeeded").asBoolean()).isFalse();
			assertThat(failed.get("errorCode").asInt()).isEqualTo(1003002);
		}
		assertThat(this.calls).hasSize(6);
		// Open: sign-ins no longer wait for it, and it is not called, even once it would answer again.
		this.answer.set(new StandIn.Reply(200, "application/json", CLAIMS_ANSWER, 0));
		JsonNode open = api().post(test, Map.of()).json();
		assertThat(open.get("succeeded").asBoolean()).isFalse();
		assertThat(open.get("errorCode").asInt()).isEqualTo(ExtensionCalls.CIRCUIT_OPEN);
		assertThat(this.calls).hasSize(6);
		assertThat(api().post(this.extensions + "/no-such-extension/test", Map.of()).status()).isEqualTo(404);

		// Every call is on record, newest first, without bodies.
		JsonNode records = api().get(this.extensions + "/" + id + "/calls").json().get("items");
		assertThat(records).hasSize(7);
		assertThat(records.get(0).get("errorCode").asInt()).isEqualTo(ExtensionCalls.CIRCUIT_OPEN);
		assertThat(records.get(0).get("attempts").asInt()).isZero();
		assertThat(records.get(1).get("httpStatus").asInt()).isEqualTo(503);
		assertThat(records.get(1).get("errorCode").asInt()).isEqualTo(1003002);
		assertThat(records.get(6).get("succeeded").asBoolean()).isTrue();
		assertThat(records.get(6).get("httpStatus").asInt()).isEqualTo(200);
		assertThat(records.get(6).get("attempts").asInt()).isEqualTo(1);
		assertThat(records.get(6).toString()).doesNotContain("LN-42");
		assertThat(api().get(this.extensions + "/" + id + "/calls?limit=2").json().get("items")).hasSize(2);
		assertThat(api().get(this.extensions + "/" + id + "/calls?limit=0").status()).isEqualTo(400);
	}

	@Test
	void badConfigurationIsRefusedAndNothingIsStored() {
		String url = this.standIn.url("/claims");
		Map<String, Object> good = Map.of("@odata.type", "#microsoft.graph.onTokenIssuanceStartCustomExtension",
				"displayName", "X", "endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint",
						"targetUrl", url),
				"authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication",
						"resourceId", "api://x"));
		Map<String, Object> untyped = new java.util.HashMap<>(good);
		untyped.remove("@odata.type");
		List<Map<String, Object>> bad = List.of(untyped, Map.of("displayName", "only a name"),
				with(good, "@odata.type", "#microsoft.graph.onEmailOtpSendCustomExtension"),
				with(good, "endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint",
						"targetUrl", "http://claims.example.com/claims")),
				with(good, "endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint",
						"targetUrl", "https://user:pw@claims.example.com/claims")),
				with(good, "clientConfiguration", Map.of("timeoutInMilliseconds", 100)),
				with(good, "clientConfiguration", Map.of("timeoutInMilliseconds", 20000)),
				with(good, "clientConfiguration", Map.of("maximumRetries", 3)),
				with(good, "claimsForTokenConfiguration", List.of(Map.of("claimIdInApiResponse", "sub"))),
				with(good, "behaviorOnError", Map.of("@odata.type", "#microsoft.graph.somethingElse")),
				with(good, "authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication")),
				with(good, "displayName", "bell\u0007"),
				with(good, "displayName", "x".repeat(257)));
		for (Map<String, Object> body : bad) {
			Api.Response answer = api().post(this.extensions, body);
			assertThat(answer.status()).as(body.toString()).isEqualTo(400);
			assertThat(answer.header("Content-Type")).contains("application/problem+json");
		}
		assertThat(api().get(this.extensions).json().get("items")).isEmpty();
		Api.Response listener = api().post("/api/v1/tenants/" + this.tenant + "/identity/authenticationEventListeners", Map.of(
				"@odata.type", "#microsoft.graph.onTokenIssuanceStartListener",
				"handler", Map.of("@odata.type", "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
						"customExtension", Map.of("id", "no-such-extension"))));
		assertThat(listener.status()).isEqualTo(400);

		// Another tenant neither sees nor uses this tenant's extension.
		String created = api().post(this.extensions, good).json().get("id").asString();
		String otherTenant = api().newTenant("ext-other");
		assertThat(api().get("/api/v1/tenants/" + otherTenant + "/identity/customAuthenticationExtensions/" + created).status())
			.isEqualTo(404);
		assertThat(api().post("/api/v1/tenants/" + otherTenant + "/identity/authenticationEventListeners", Map.of(
				"@odata.type", "#microsoft.graph.onTokenIssuanceStartListener",
				"handler", Map.of("@odata.type", "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
						"customExtension", Map.of("id", created)))).status()).isEqualTo(400);
	}

	private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
		Map<String, Object> copy = new java.util.LinkedHashMap<>(base);
		copy.put(key, value);
		return copy;
	}

}
