package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import tools.jackson.databind.JsonNode;

/** A tenant with an app and a customer, and the browser steps to sign that customer in. */
final class SignInSupport {

	static final String PASSWORD = "correct horse battery staple";

	final Api api;

	final String tenant;

	final URI callback;

	final JsonNode app;

	SignInSupport(Api api, String prefix, String type) {
		this.api = api;
		this.tenant = api.newTenant(prefix);
		this.callback = URI.create(api.base() + "/callback");
		this.app = api.post("/api/v1/tenants/" + this.tenant + "/applications",
				Map.of("displayName", "App", "type", type, "redirectUris", List.of(this.callback.toString()),
						"postLogoutRedirectUris", List.of(api.base() + "/bye")))
			.json();
	}

	OidcClient client() throws Exception {
		JsonNode secret = this.app.get("clientSecret");
		return new OidcClient(this.api.issuer(this.tenant), this.app.get("clientId").asString(),
				secret == null ? null : secret.asString(), this.callback);
	}

	String user(String email) {
		return this.api.post("/api/v1/tenants/" + this.tenant + "/users",
				Map.of("email", email, "password", PASSWORD, "emailVerified", true, "givenName", "Test")).json()
			.get("id").asString();
	}

	/** Opens the app's authorization request and signs in on the login page; returns where the browser lands. */
	static AuthenticationResponse signIn(Browser browser, OidcClient rp, String email, String password, String scope,
			String... extra) throws Exception {
		browser.open(rp.authorizationRequest(scope, extra).toString());
		browser.fill("Email address", email).fill("Password", password).click("Sign in");
		return browser.url().getPath().equals("/callback") ? AuthenticationResponseParser.parse(browser.url()) : null;
	}

	/** Whether the browser is signed in for this app: its {@code prompt=none} request comes back with a code. */
	static boolean signedIn(Browser browser, OidcClient rp) throws Exception {
		browser.open(rp.authorizationRequest("openid", "prompt", "none").toString());
		return AuthenticationResponseParser.parse(browser.url()).indicatesSuccess();
	}

	static OIDCTokenResponse tokens(OidcClient rp, AuthenticationResponse response) throws Exception {
		AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
		return (OIDCTokenResponse) rp.exchange(code).toSuccessResponse();
	}

	/** The tenant's userinfo, with this access token as the bearer token. */
	Api.Response userinfo(String access) {
		return this.api.send(HttpRequest.newBuilder(URI.create(this.api.issuer(this.tenant) + "/userinfo"))
			.header("Authorization", "Bearer " + access));
	}

	/** The tenant's introspection of a token, asked by the client whose HTTP Basic credentials these are. */
	JsonNode introspect(String basic, String token) {
		Api.Response answer = this.api.send(HttpRequest.newBuilder(URI.create(this.api.issuer(this.tenant) + "/oauth2/introspect"))
			.header("Authorization", basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("token=" + token)));
		assertThat(answer.status()).isEqualTo(200);
		return answer.json();
	}

	/** An app's HTTP Basic credentials, from the answer to its registration. */
	static String basic(JsonNode app) {
		return "Basic " + Base64.getEncoder().encodeToString((app.get("clientId").asString() + ":"
				+ app.get("clientSecret").asString()).getBytes(StandardCharsets.UTF_8));
	}

}
