package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;

import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/** Every protocol rule of the sign-in issue, each tried the wrong way by an independent client. */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class OidcRulesTest extends FoyerIntegrationTest {

	private static String error(TokenResponse response) {
		return ((TokenErrorResponse) response).getErrorObject().getCode();
	}

	private static boolean userInfoWorks(OidcClient rp, AccessToken token) throws Exception {
		return UserInfoResponse.parse(new UserInfoRequest(rp.metadata.getUserInfoEndpointURI(), (BearerAccessToken) token)
			.toHTTPRequest().send()).indicatesSuccess();
	}

	@Test
	void unknownClientAndUnregisteredRedirectUriShowAnErrorPageAndNeverRedirect() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "redir", "web");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			browser.client().getOptions().setRedirectEnabled(false);
			String good = rp.authorizationRequest("openid").toString();
			browser.open(good.replace(URLs.encode(t.callback.toString()), URLs.encode("https://evil.example/cb")));
			assertThat(browser.status()).isEqualTo(400);
			assertThat(browser.header("Location")).isNull();
			assertThat(browser.text()).contains("Reference");
			assertThat(browser.html().getTitleText()).as("the tenant's name, as on its other pages")
				.isEqualTo("Something went wrong – Tenant " + t.tenant);
			browser.open(good.replace(rp.clientId.getValue(), "no-such-client"));
			assertThat(browser.status()).isEqualTo(400);
			assertThat(browser.header("Location")).isNull();
			// A redirect URI that only starts like a registered one is not one.
			browser.open(good.replace(URLs.encode(t.callback.toString()), URLs.encode(t.callback + "/more")));
			assertThat(browser.status()).isEqualTo(400);
		}
	}

	@Test
	void requestObjectsAreRefusedNotIgnored() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "jar", "web");
		OidcClient rp = t.client();
		String good = rp.authorizationRequest("openid").toString();
		URI authorize = rp.metadata.getAuthorizationEndpointURI();
		try (Browser browser = new Browser()) {
			browser.client().getOptions().setRedirectEnabled(false);
			// OpenID Connect Core 6.1: an OP without request objects answers request_not_supported at the redirect URI.
			browser.open(good + "&request=eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.");
			assertThat(browser.status()).isEqualTo(302);
			AuthenticationResponse refused = AuthenticationResponseParser.parse(URI.create(browser.header("Location")));
			assertThat(refused.indicatesSuccess()).isFalse();
			assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo("request_not_supported");
			assertThat(refused.toErrorResponse().getState()).isEqualTo(rp.state);
			assertThat(refused.toErrorResponse().getRedirectionURI()).isEqualTo(t.callback);
			// request_uri: its parameters would be behind it, so no sign-in page, for a known client or not.
			for (String request : new String[] { good + "&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax",
					authorize + "?client_id=" + rp.clientId + "&request_uri=https%3A%2F%2Fevil.example%2Fr",
					authorize + "?client_id=no-such-client&request_uri=https%3A%2F%2Fevil.example%2Fr" }) {
				browser.open(request);
				assertThat(browser.status()).as(request).isEqualTo(400);
				assertThat(browser.header("Location")).as(request).isNull();
				assertThat(browser.text()).as(request).contains("Reference").doesNotContain("Password");
			}
		}
		assertThat(rp.metadata.supportsRequestParam()).isFalse();
		assertThat(rp.metadata.supportsRequestURIParam()).as("absent would mean true").isFalse();
	}

	@Test
	void publicClientsMustUsePkceS256AndConfidentialOnesAreHeldToIt() throws Exception {
		SignInSupport spa = new SignInSupport(this.api, "pkce", "spa");
		OidcClient rp = spa.client();
		String withPkce = rp.authorizationRequest("openid").toString();
		try (Browser browser = new Browser()) {
			browser.open(withPkce.replaceAll("&code_challenge=[^&]*", "").replaceAll("&code_challenge_method=[^&]*", ""));
			AuthenticationResponse missing = AuthenticationResponseParser.parse(browser.url());
			assertThat(missing.indicatesSuccess()).isFalse();
			assertThat(missing.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_request");
			assertThat(missing.toErrorResponse().getIssuer().getValue()).isEqualTo(this.api.issuer(spa.tenant));
			browser.open(withPkce.replace("code_challenge_method=S256", "code_challenge_method=plain"));
			assertThat(AuthenticationResponseParser.parse(browser.url()).indicatesSuccess()).isFalse();
			// A challenge that no verifier can meet is refused now, not after the person has signed in.
			for (String challenge : new String[] { "abc", "a".repeat(42) + "=", "a".repeat(44) }) {
				browser.open(withPkce.replaceAll("code_challenge=[^&]*", "code_challenge=" + URLs.encode(challenge)));
				AuthenticationResponse malformed = AuthenticationResponseParser.parse(browser.url());
				assertThat(malformed.indicatesSuccess()).as(challenge).isFalse();
				assertThat(malformed.toErrorResponse().getErrorObject().getCode()).as(challenge).isEqualTo("invalid_request");
				assertThat(malformed.toErrorResponse().getState()).as(challenge).isEqualTo(rp.state);
			}
		}
		// A confidential client that sent a challenge must prove it.
		SignInSupport web = new SignInSupport(this.api, "pkce2", "web");
		web.user("pkce@example.com");
		OidcClient webRp = web.client();
		try (Browser browser = new Browser()) {
			AuthenticationResponse response = SignInSupport.signIn(browser, webRp, "pkce@example.com", SignInSupport.PASSWORD, "openid");
			TokenResponse wrongVerifier = webRp.token(new AuthorizationCodeGrant(
					response.toSuccessResponse().getAuthorizationCode(), webRp.redirectUri, new CodeVerifier()));
			assertThat(error(wrongVerifier)).isEqualTo("invalid_grant");
		}
	}

	@Test
	void aReplayedCodeFailsAndRevokesWhatItHadIssued() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "replay", "web");
		t.user("replay@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			AuthenticationResponse response = SignInSupport.signIn(browser, rp, "replay@example.com", SignInSupport.PASSWORD,
					"openid offline_access");
			OIDCTokenResponse first = SignInSupport.tokens(rp, response);
			assertThat(userInfoWorks(rp, first.getOIDCTokens().getAccessToken())).isTrue();
			TokenResponse replay = rp.exchange(response.toSuccessResponse().getAuthorizationCode());
			assertThat(error(replay)).isEqualTo("invalid_grant");
			assertThat(userInfoWorks(rp, first.getOIDCTokens().getAccessToken())).isFalse();
			assertThat(rp.token(new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken())).indicatesSuccess()).isFalse();
		}
	}

	@Test
	void wrongClientSecretIsInvalidClient() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "secret", "web");
		t.user("secret@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			AuthenticationResponse response = SignInSupport.signIn(browser, rp, "secret@example.com", SignInSupport.PASSWORD,
					"openid");
			TokenResponse refused = new TokenRequest(rp.metadata.getTokenEndpointURI(),
					new ClientSecretBasic(rp.clientId, new Secret("not-the-secret")),
					new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), rp.redirectUri, rp.verifier))
				.toHTTPRequest().send().getStatusCode() == 401 ? null : rp.exchange(response.toSuccessResponse().getAuthorizationCode());
			assertThat(refused).isNull();
		}
	}

	@Test
	void userinfoTakesTheTokenFromAFormBodyButNeitherFromTheQueryNorTwice() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "ui-body", "web");
		t.user("body@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			String token = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "body@example.com", SignInSupport.PASSWORD, "openid email"))
				.getOIDCTokens()
				.getAccessToken()
				.getValue();
			URI userinfo = rp.metadata.getUserInfoEndpointURI();
			Api.Response body = this.api.send(java.net.http.HttpRequest.newBuilder(userinfo)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("access_token=" + token)));
			assertThat(body.status()).isEqualTo(200);
			assertThat(body.json().get("email").asString()).isEqualTo("body@example.com");

			Api.Response both = this.api.send(java.net.http.HttpRequest.newBuilder(userinfo)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Authorization", "Bearer " + token)
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("access_token=" + token)));
			assertThat(both.status()).isEqualTo(400);
			assertThat(both.header("WWW-Authenticate")).contains("error=\"invalid_request\"");

			Api.Response query = this.api.send(java.net.http.HttpRequest.newBuilder(URI.create(userinfo + "?access_token=" + token))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("")));
			assertThat(query.status()).isEqualTo(401);
			Api.Response forged = this.api.send(java.net.http.HttpRequest.newBuilder(userinfo)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("access_token=" + token.substring(0, token.length() - 4) + "AAAA")));
			assertThat(forged.status()).isEqualTo(401);
		}
	}

	@Test
	void tokensOfTenantAAreWorthlessAtTenantB() throws Exception {
		SignInSupport a = new SignInSupport(this.api, "iso-a", "web");
		SignInSupport b = new SignInSupport(this.api, "iso-b", "web");
		a.user("a@example.com");
		OidcClient rpA = a.client();
		OidcClient rpB = b.client();
		try (Browser browser = new Browser()) {
			OIDCTokenResponse tokens = SignInSupport.tokens(rpA,
					SignInSupport.signIn(browser, rpA, "a@example.com", SignInSupport.PASSWORD, "openid email offline_access"));
			AccessToken accessToken = tokens.getOIDCTokens().getAccessToken();
			assertThat(userInfoWorks(rpA, accessToken)).isTrue();
			assertThat(userInfoWorks(rpB, accessToken)).isFalse();

			TokenIntrospectionResponse atA = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
					rpA.metadata.getIntrospectionEndpointURI(), rpA.auth(), accessToken).toHTTPRequest().send());
			assertThat(atA.toSuccessResponse().isActive()).isTrue();
			assertThat(atA.toSuccessResponse().getSubject().getValue()).isEqualTo(tokens.getOIDCTokens().getIDToken()
				.getJWTClaimsSet().getSubject());
			TokenIntrospectionResponse atB = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
					rpB.metadata.getIntrospectionEndpointURI(), rpB.auth(), accessToken).toHTTPRequest().send());
			assertThat(atB.toSuccessResponse().isActive()).isFalse();
			TokenIntrospectionResponse refreshAtB = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
					rpB.metadata.getIntrospectionEndpointURI(), rpB.auth(), tokens.getOIDCTokens().getRefreshToken())
				.toHTTPRequest().send());
			assertThat(refreshAtB.toSuccessResponse().isActive()).isFalse();
			// B's client cannot use A's refresh token either.
			assertThat(rpB.token(new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).indicatesSuccess()).isFalse();
		}
	}

	@Test
	void forgedTokensAreRefusedAtUserinfo() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "forged", "web");
		String user = t.user("forged@example.com");
		OidcClient rp = t.client();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.api.issuer(t.tenant)).subject(user)
			.claim("client_id", rp.clientId.getValue()).claim("scope", "openid")
			.expirationTime(new Date(System.currentTimeMillis() + 600_000)).issueTime(new Date()).build();
		String none = new PlainJWT(new PlainHeader.Builder().type(new JOSEObjectType("at+jwt")).build(), claims).serialize();
		assertThat(userInfoWorks(rp, new BearerAccessToken(none))).isFalse();
		SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).build(), claims);
		foreign.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
		assertThat(userInfoWorks(rp, new BearerAccessToken(foreign.serialize()))).isFalse();
		// RFC 6750 section 3: the refusal says why in its challenge, and points at nothing Foyer does not serve.
		Api.Response refused = this.api.get("/t/" + t.tenant + "/userinfo", foreign.serialize());
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"")
			.doesNotContain("resource_metadata");
		assertThat(this.api.get("/t/" + t.tenant + "/userinfo", null).header("WWW-Authenticate")).isEqualTo("Bearer");
		// A service's token names nobody: insufficient_scope, with its challenge too.
		JsonNode service = this.api.post("/api/v1/tenants/" + t.tenant + "/applications",
				Map.of("displayName", "Daemon", "type", "service")).json();
		String serviceToken = this.api.clientCredentials(t.tenant, service.get("clientId").asString(),
				service.get("clientSecret").asString()).json().get("access_token").asString();
		Api.Response noPerson = this.api.get("/t/" + t.tenant + "/userinfo", serviceToken);
		assertThat(noPerson.status()).isEqualTo(403);
		assertThat(noPerson.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"");
		assertThat(noPerson.json().get("error").asString()).isEqualTo("insufficient_scope");
		// The admin API's challenge says the same.
		assertThat(this.api.get("/api/v1/tenants", foreign.serialize()).header("WWW-Authenticate"))
			.startsWith("Bearer error=\"invalid_token\"");
	}

	@Test
	void introspectsAndRevokes() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "revoke", "web");
		t.user("revoke@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			OIDCTokenResponse tokens = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "revoke@example.com", SignInSupport.PASSWORD, "openid offline_access"));
			var revoke = new TokenRevocationRequest(rp.metadata.getRevocationEndpointURI(), rp.auth(),
					tokens.getOIDCTokens().getRefreshToken());
			assertThat(revoke.toHTTPRequest().send().getStatusCode()).isEqualTo(200);
			assertThat(rp.token(new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).indicatesSuccess()).isFalse();
		}
		// A self-contained client_credentials token introspects as active.
		JsonNode service = this.api.post("/api/v1/tenants/" + t.tenant + "/applications",
				Map.of("displayName", "Daemon", "type", "service")).json();
		ClientSecretBasic daemon = new ClientSecretBasic(new ClientID(service.get("clientId").asString()),
				new Secret(service.get("clientSecret").asString()));
		AccessToken ccToken = new TokenRequest(rp.metadata.getTokenEndpointURI(), daemon, new ClientCredentialsGrant())
			.toHTTPRequest().send().getBodyAsJSONObject().get("access_token") instanceof String value
				? new BearerAccessToken(value) : null;
		TokenIntrospectionResponse introspected = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
				rp.metadata.getIntrospectionEndpointURI(), rp.auth(), ccToken).toHTTPRequest().send());
		assertThat(introspected.toSuccessResponse().isActive()).isTrue();
		assertThat(introspected.toSuccessResponse().getClientID().getValue()).isEqualTo(service.get("clientId").asString());
	}

	@Test
	void formPostResponseModeCarriesCodeStateAndIssuer() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "formpost", "web");
		t.user("fp@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			browser.client().getOptions().setJavaScriptEnabled(false);
			browser.open(rp.authorizationRequest("openid", "response_mode", "form_post").toString());
			browser.fill("Email address", "fp@example.com").fill("Password", SignInSupport.PASSWORD).click("Sign in");
			var form = browser.html().getForms().get(0);
			assertThat(form.getActionAttribute()).isEqualTo(t.callback.toString());
			assertThat(form.getInputByName("code").getValue()).isNotBlank();
			assertThat(form.getInputByName("state").getValue()).isEqualTo(rp.state.getValue());
			assertThat(form.getInputByName("iss").getValue()).isEqualTo(this.api.issuer(t.tenant));
			assertThat(browser.header("Content-Security-Policy")).contains("form-action " + this.api.base());
		}
	}

	@Test
	void fragmentResponseModeCarriesTheAnswerInTheFragmentAndUnknownModesAreRefused() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "fragment", "web");
		t.user("frag@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid", "response_mode", "fragment").toString());
			browser.fill("Email address", "frag@example.com").fill("Password", SignInSupport.PASSWORD).click("Sign in");
			URI landed = browser.url();
			assertThat(landed.getQuery()).isNull();
			Map<String, List<String>> answer = com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(landed.getRawFragment());
			assertThat(answer.get("state")).containsExactly(rp.state.getValue());
			assertThat(answer.get("iss")).containsExactly(this.api.issuer(t.tenant));
			var parsed = AuthenticationResponseParser.parse(landed);
			assertThat(parsed.indicatesSuccess()).isTrue();
			assertThat(SignInSupport.tokens(rp, parsed).getOIDCTokens().getIDToken()).isNotNull();

			// Errors follow the mode too; a mode Foyer does not know is refused, in the query.
			browser.open(rp.authorizationRequest("openid unknown-scope", "response_mode", "fragment").toString());
			assertThat(browser.url().getRawFragment()).contains("error=invalid_scope");
			browser.open(rp.authorizationRequest("openid", "response_mode", "jwt").toString());
			assertThat(browser.url().getQuery()).contains("error=invalid_request").contains("response_mode");
		}
	}

	@Test
	void promptLoginAndMaxAgeAskForAFreshSignIn() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "fresh", "web");
		t.user("fresh@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			assertThat(SignInSupport.signIn(browser, rp, "fresh@example.com", SignInSupport.PASSWORD, "openid").indicatesSuccess())
				.isTrue();
			browser.open(rp.authorizationRequest("openid").toString());
			assertThat(browser.url().getPath()).isEqualTo("/callback");
			for (String[] fresh : List.of(new String[] { "prompt", "login" }, new String[] { "max_age", "0" })) {
				browser.open(rp.authorizationRequest("openid", fresh).toString());
				assertThat(browser.showsSignIn(t.tenant)).as(browser.url().toString()).isTrue();
				browser.fill("Email address", "fresh@example.com").fill("Password", SignInSupport.PASSWORD).click("Sign in");
				assertThat(AuthenticationResponseParser.parse(browser.url()).indicatesSuccess()).isTrue();
			}
		}
	}

	@Test
	void authorizationRequestsMayBePostedAsForms() throws Exception {
		// OpenID Connect Core 3.1.2.1: the authorization endpoint must take GET and POST.
		SignInSupport t = new SignInSupport(this.api, "post", "web");
		t.user("post@example.com");
		OidcClient rp = t.client();
		URI request = rp.authorizationRequest("openid");
		Map<String, String> form = new java.util.LinkedHashMap<>();
		for (String pair : request.getRawQuery().split("&")) {
			String[] nameValue = pair.split("=", 2);
			form.put(nameValue[0], java.net.URLDecoder.decode(nameValue[1], java.nio.charset.StandardCharsets.UTF_8));
		}
		String endpoint = rp.metadata.getAuthorizationEndpointURI().toString();
		try (Browser browser = new Browser()) {
			browser.post(endpoint, form);
			assertThat(browser.showsSignIn(t.tenant)).as(browser.text()).isTrue();
			browser.fill("Email address", "post@example.com").fill("Password", SignInSupport.PASSWORD).click("Sign in");
			AuthenticationResponse first = AuthenticationResponseParser.parse(browser.url());
			assertThat(first.indicatesSuccess()).isTrue();
			assertThat(first.toSuccessResponse().getState()).isEqualTo(rp.state);
			assertThat(SignInSupport.tokens(rp, first).getOIDCTokens().getIDToken()).isNotNull();
			// Signed in: a posted request with prompt=none comes straight back with a code.
			form.put("prompt", "none");
			browser.post(endpoint, form);
			assertThat(AuthenticationResponseParser.parse(browser.url()).indicatesSuccess()).isTrue();
		}
	}

	@Test
	void logoutWithoutAnIdTokenHintAsksThePersonAndReturnsOnlyToARegisteredAddress() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "bye", "web");
		t.user("bye@example.com");
		OidcClient rp = t.client();
		String endSession = rp.metadata.getEndSessionEndpointURI().toString();
		String registered = this.api.base() + "/bye";
		String[][] cases = {
				// { query, where the person lands after confirming }
				{ "", "/t/" + t.tenant + "/signed-out" },
				{ "?client_id=" + rp.clientId + "&post_logout_redirect_uri=" + URLs.encode(registered) + "&state=s%201", "/bye" },
				{ "?client_id=" + rp.clientId + "&post_logout_redirect_uri=" + URLs.encode("https://evil.example/bye"),
						"/t/" + t.tenant + "/signed-out" },
				{ "?client_id=no-such-client&post_logout_redirect_uri=" + URLs.encode(registered),
						"/t/" + t.tenant + "/signed-out" },
				{ "?post_logout_redirect_uri=" + URLs.encode(registered) + "&state=x", "/t/" + t.tenant + "/signed-out" } };
		for (String[] logout : cases) {
			try (Browser browser = new Browser()) {
				assertThat(SignInSupport.signIn(browser, rp, "bye@example.com", SignInSupport.PASSWORD, "openid").indicatesSuccess())
					.isTrue();
				browser.open(endSession + logout[0]);
				assertThat(browser.text()).as(logout[0]).contains("Do you want to sign out?");
				browser.click("Sign out");
				assertThat(browser.url().getPath()).as(logout[0]).isEqualTo(logout[1]);
				if (logout[1].equals("/bye")) {
					assertThat(browser.url().getRawQuery()).isEqualTo("state=s%201");
				}
				assertThat(SignInSupport.signedIn(browser, rp)).as("signed out").isFalse();
			}
		}
	}

	@Test
	void logoutTakesTheIdTokenOfTheSignInAfterARefreshHasReplacedIt() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "stale", "web");
		t.user("stale@example.com");
		OidcClient rp = t.client();
		String endSession = rp.metadata.getEndSessionEndpointURI().toString();
		String registered = URLs.encode(this.api.base() + "/bye");
		try (Browser browser = new Browser()) {
			OIDCTokenResponse signIn = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "stale@example.com", SignInSupport.PASSWORD, "openid offline_access"));
			String first = signIn.getOIDCTokens().getIDTokenString();
			TokenResponse refreshed = rp.token(new RefreshTokenGrant(signIn.getOIDCTokens().getRefreshToken()));
			assertThat(((OIDCTokenResponse) refreshed.toSuccessResponse()).getOIDCTokens().getIDTokenString()).isNotEqualTo(first);
			// Spring Authorization Server alone found no authorization for the first ID token and showed an error page.
			browser.open(endSession + "?id_token_hint=" + first + "&post_logout_redirect_uri=" + registered + "&state=s1");
			assertThat(browser.url().getPath()).isEqualTo("/bye");
			assertThat(browser.url().getQuery()).isEqualTo("state=s1");
			assertThat(SignInSupport.signedIn(browser, rp)).as("signed out").isFalse();

			// The same hint in a browser that has signed in again since names a session that is over: the person is asked.
			assertThat(SignInSupport.signIn(browser, rp, "stale@example.com", SignInSupport.PASSWORD, "openid").indicatesSuccess())
				.isTrue();
			browser.open(endSession + "?id_token_hint=" + first + "&post_logout_redirect_uri=" + registered);
			assertThat(browser.text()).contains("Do you want to sign out?");
			assertThat(SignInSupport.signedIn(browser, rp)).as("still signed in").isTrue();

			// Still refused: an address the app did not register, and a hint this tenant did not sign.
			browser.open(endSession + "?id_token_hint=" + first + "&post_logout_redirect_uri="
					+ URLs.encode("https://evil.example/bye"));
			assertThat(browser.status()).isEqualTo(400);
			assertThat(browser.url().getHost()).isNotEqualTo("evil.example");
			String[] parts = first.split("\\.");
			browser.open(endSession + "?id_token_hint=" + parts[0] + "." + parts[1] + ".c2lnbmF0dXJl&post_logout_redirect_uri="
					+ registered);
			assertThat(browser.status()).isEqualTo(400);
			assertThat(SignInSupport.signedIn(browser, rp)).as("still signed in").isTrue();
		}
	}

	@Test
	void aLogoutForASessionThatHasEndedAsksBeforeEndingTheBrowsersNewOne() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "newer", "web");
		t.user("newer@example.com");
		OidcClient rp = t.client();
		String endSession = rp.metadata.getEndSessionEndpointURI().toString();
		try (Browser browser = new Browser()) {
			// The app's ID token is the newest of its sign-in, so Spring Authorization Server accepts it as a hint.
			String old = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "newer@example.com", SignInSupport.PASSWORD, "openid"))
				.getOIDCTokens()
				.getIDTokenString();
			browser.open(endSession);
			browser.click("Sign out");
			assertThat(SignInSupport.signIn(browser, t.client(), "newer@example.com", SignInSupport.PASSWORD, "openid")
				.indicatesSuccess()).isTrue();
			browser.open(endSession + "?id_token_hint=" + old);
			assertThat(browser.text()).contains("Do you want to sign out?");
			assertThat(SignInSupport.signedIn(browser, rp)).as("still signed in").isTrue();
		}
	}

	@Test
	void anIdTokenHintForSomeoneElseAsksForASignIn() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "hint", "web");
		t.user("alice@example.com");
		t.user("bob@example.com");
		OidcClient rp = t.client();
		String bobs;
		try (Browser other = new Browser()) {
			bobs = SignInSupport.tokens(rp, SignInSupport.signIn(other, rp, "bob@example.com", SignInSupport.PASSWORD, "openid"))
				.getOIDCTokens()
				.getIDTokenString();
		}
		try (Browser browser = new Browser()) {
			String alices = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "alice@example.com", SignInSupport.PASSWORD, "openid"))
				.getOIDCTokens()
				.getIDTokenString();
			browser.open(rp.authorizationRequest("openid", "prompt", "none", "id_token_hint", alices).toString());
			assertThat(AuthenticationResponseParser.parse(browser.url()).indicatesSuccess()).as("alice's own hint").isTrue();
			for (String hint : new String[] { bobs, "not-a-token" }) {
				browser.open(rp.authorizationRequest("openid", "prompt", "none", "id_token_hint", hint).toString());
				AuthenticationResponse none = AuthenticationResponseParser.parse(browser.url());
				assertThat(none.indicatesSuccess()).as(hint).isFalse();
				assertThat(none.toErrorResponse().getErrorObject().getCode()).as(hint).isEqualTo("login_required");
			}
			// Without prompt=none, the person signs in again, as whoever they choose, and the app gets its code.
			browser.open(rp.authorizationRequest("openid", "id_token_hint", bobs).toString());
			assertThat(browser.showsSignIn(t.tenant)).isTrue();
			browser.fill("Email address", "bob@example.com").fill("Password", SignInSupport.PASSWORD).click("Sign in");
			AuthenticationResponse signedIn = AuthenticationResponseParser.parse(browser.url());
			assertThat(signedIn.indicatesSuccess()).isTrue();
			assertThat(SignInSupport.tokens(rp, signedIn).getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject())
				.isEqualTo(com.nimbusds.jwt.JWTParser.parse(bobs).getJWTClaimsSet().getSubject());
		}
	}

	@Test
	void appPolicyChoosesEs256AndLifetimes() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "policy", "web");
		t.user("policy@example.com");
		this.api.patch("/api/v1/tenants/" + t.tenant + "/applications/" + t.app.get("id").asString(),
				Map.of("tokenPolicy", Map.of("accessTokenAlgorithm", "ES256", "accessTokenSeconds", 600, "idTokenSeconds", 300)));
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			OIDCTokenResponse tokens = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "policy@example.com", SignInSupport.PASSWORD, "openid"));
			assertThat(tokens.getOIDCTokens().getAccessToken().getLifetime()).isBetween(590L, 600L);
			SignedJWT access = SignedJWT.parse(tokens.getOIDCTokens().getAccessToken().getValue());
			assertThat(access.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
			JWKSet keys = JWKSet.load(rp.metadata.getJWKSetURI().toURL());
			assertThat(access.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(
					(ECKey) keys.getKeyByKeyId(access.getHeader().getKeyID())))).isTrue();
			var id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
			assertThat(id.getExpirationTime().getTime() - id.getIssueTime().getTime()).isEqualTo(300_000L);
		}
		assertThat(this.api.patch("/api/v1/tenants/" + t.tenant + "/applications/" + t.app.get("id").asString(),
				Map.of("tokenPolicy", Map.of("accessTokenSeconds", 5))).status()).isEqualTo(400);
	}

	@Test
	void keyRotationKeepsEarlierTokensValid() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "rotate", "web");
		t.user("rotate@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			OIDCTokenResponse before = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "rotate@example.com", SignInSupport.PASSWORD, "openid"));
			String nextKid = this.api.get("/api/v1/tenants/" + t.tenant + "/keys").json().get("items").valueStream()
				.filter(k -> k.get("status").asString().equals("next") && k.get("algorithm").asString().equals("RS256"))
				.findFirst().orElseThrow().get("kid").asString();
			assertThat(this.api.post("/api/v1/tenants/" + t.tenant + "/keys/rotate", Map.of()).status()).isEqualTo(200);
			OidcClient again = t.client();
			browser.open(again.authorizationRequest("openid").toString());
			OIDCTokenResponse after = SignInSupport.tokens(again, AuthenticationResponseParser.parse(browser.url()));
			assertThat(after.getOIDCTokens().getIDToken().getHeader().toJSONObject().get("kid")).isEqualTo(nextKid);
			// Both validate against the published set: no valid token fails during a rotation.
			rp.validate(before.getOIDCTokens().getIDToken());
			again.validate(after.getOIDCTokens().getIDToken());
		}
	}

	@Test
	void privateKeyJwtAuthenticatesAServiceApp() throws Exception {
		String tenant = this.api.newTenant("pkjwt");
		JsonNode service = this.api.post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Signed daemon", "type", "service")).json();
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("daemon-1").generate();
		assertThat(this.api.patch("/api/v1/tenants/" + tenant + "/applications/" + service.get("id").asString(),
				Map.of("jwks", new JWKSet(key).toJSONObject(false))).status()).isEqualTo(400);
		assertThat(this.api.patch("/api/v1/tenants/" + tenant + "/applications/" + service.get("id").asString(),
				Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject(true))).status()).isEqualTo(200);
		URI tokenEndpoint = URI.create(this.api.issuer(tenant) + "/oauth2/token");
		ClientID clientId = new ClientID(service.get("clientId").asString());
		PrivateKeyJWT assertion = new PrivateKeyJWT(clientId, tokenEndpoint, JWSAlgorithm.ES256, key.toECPrivateKey(),
				"daemon-1", null);
		TokenResponse ok = TokenResponse.parse(new TokenRequest(tokenEndpoint, assertion, new ClientCredentialsGrant())
			.toHTTPRequest().send());
		assertThat(ok.indicatesSuccess()).as(() -> ok.toErrorResponse().getErrorObject().toJSONObject().toString()).isTrue();
		ECKey other = new ECKeyGenerator(Curve.P_256).keyID("daemon-1").generate();
		PrivateKeyJWT forged = new PrivateKeyJWT(clientId, tokenEndpoint, JWSAlgorithm.ES256, other.toECPrivateKey(),
				"daemon-1", null);
		assertThat(TokenResponse.parse(new TokenRequest(tokenEndpoint, forged, new ClientCredentialsGrant()).toHTTPRequest()
			.send()).indicatesSuccess()).isFalse();

		// Each assertion is taken once (OpenID Connect Core 9), lives at most an hour, and carries a jti.
		assertThat(clientCredentialsError(tokenEndpoint, assertion)).isEqualTo("invalid_client");
		Date now = new Date();
		Date inFiveMinutes = new Date(now.getTime() + 300_000);
		JWTID jti = new JWTID("daemon-jti-1");
		assertThat(clientCredentialsError(tokenEndpoint, assertion(clientId, tokenEndpoint, key, inFiveMinutes, jti))).isNull();
		assertThat(clientCredentialsError(tokenEndpoint, assertion(clientId, tokenEndpoint, key, inFiveMinutes, jti)))
			.isEqualTo("invalid_client");
		assertThat(clientCredentialsError(tokenEndpoint, assertion(clientId, tokenEndpoint, key, inFiveMinutes, null)))
			.isEqualTo("invalid_client");
		assertThat(clientCredentialsError(tokenEndpoint,
				assertion(clientId, tokenEndpoint, key, new Date(now.getTime() + 7_200_000), new JWTID()))).isEqualTo("invalid_client");
		// A refused assertion takes no jti: the same jti in a good assertion still works once.
		JWTID refusedFirst = new JWTID();
		assertThat(clientCredentialsError(tokenEndpoint,
				assertion(clientId, tokenEndpoint, key, new Date(now.getTime() + 7_200_000), refusedFirst))).isEqualTo("invalid_client");
		assertThat(clientCredentialsError(tokenEndpoint, assertion(clientId, tokenEndpoint, key, inFiveMinutes, refusedFirst)))
			.isNull();

		// The used jti belongs to that app of that tenant: another tenant's app may use the same value.
		String otherTenant = this.api.newTenant("pkjwt2");
		JsonNode otherService = this.api.post("/api/v1/tenants/" + otherTenant + "/applications",
				Map.of("displayName", "Signed daemon", "type", "service")).json();
		assertThat(this.api.patch("/api/v1/tenants/" + otherTenant + "/applications/" + otherService.get("id").asString(),
				Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject(true))).status()).isEqualTo(200);
		URI otherEndpoint = URI.create(this.api.issuer(otherTenant) + "/oauth2/token");
		assertThat(clientCredentialsError(otherEndpoint, assertion(new ClientID(otherService.get("clientId").asString()),
				otherEndpoint, key, inFiveMinutes, jti))).isNull();
	}

	private static PrivateKeyJWT assertion(ClientID clientId, URI tokenEndpoint, ECKey key, Date expires, JWTID jti)
			throws Exception {
		return new PrivateKeyJWT(new JWTAuthenticationClaimsSet(clientId, List.of(new Audience(tokenEndpoint)), expires, null,
				new Date(), jti), JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null);
	}

	/** The error code of a client_credentials request with this assertion, or null when it succeeded. */
	private static String clientCredentialsError(URI tokenEndpoint, PrivateKeyJWT assertion) throws Exception {
		TokenResponse response = TokenResponse.parse(new TokenRequest(tokenEndpoint, assertion, new ClientCredentialsGrant())
			.toHTTPRequest()
			.send());
		return response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
	}

	@Test
	void headIsAnsweredWhereGetIsOnTheMetadataAndTheKeySet() {
		for (String path : new String[] { "/t/admin/.well-known/openid-configuration",
				"/.well-known/oauth-authorization-server/t/admin", "/t/admin/oauth2/jwks" }) {
			Api.Response get = this.api.get(path, null);
			Api.Response head = this.api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(this.api.base() + path))
				.method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
			assertThat(head.status()).as(path).isEqualTo(200);
			assertThat(head.text()).as(path).isEmpty();
			assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
		}
		// Other methods than GET and HEAD are refused with 405 and the methods that work.
		for (String path : new String[] { "/t/admin/.well-known/openid-configuration",
				"/.well-known/oauth-authorization-server/t/admin", "/t/admin/oauth2/jwks" }) {
			for (String method : new String[] { "POST", "PUT", "DELETE" }) {
				Api.Response refused = this.api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(this.api.base() + path))
					.method(method, java.net.http.HttpRequest.BodyPublishers.noBody()));
				assertThat(refused.status()).as(method + " " + path).isEqualTo(405);
				assertThat(refused.header("Allow")).as(method + " " + path).isEqualTo("GET, HEAD");
			}
		}
	}

	@Test
	void discoveryAdvertisesWhatFoyerSupportsAndNothingElse() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "disco", "web");
		var metadata = t.client().metadata;
		assertThat(metadata.getGrantTypes().stream().map(g -> g.getValue()))
			.containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials");
		assertThat(metadata.getResponseModes().stream().map(m -> m.getValue()))
			.containsExactlyInAnyOrder("query", "fragment", "form_post");
		assertThat(metadata.getTokenEndpointAuthMethods().stream().map(m -> m.getValue()))
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
		assertThat(metadata.getIDTokenJWSAlgs().stream().map(a -> a.getName())).containsExactlyInAnyOrder("RS256", "ES256");
		assertThat(metadata.getTokenEndpointJWSAlgs().stream().map(a -> a.getName()))
			.containsExactlyInAnyOrder("RS256", "PS256", "ES256");
		assertThat(metadata.getCodeChallengeMethods().stream().map(m -> m.getValue())).containsExactly("S256");
		assertThat(metadata.supportsAuthorizationResponseIssuerParam()).isTrue();
		assertThat(metadata.getScopes().toStringList()).containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
		assertThat(metadata.getDeviceAuthorizationEndpointURI()).isNull();
		assertThat(metadata.getEndSessionEndpointURI()).isNotNull();
		assertThat(metadata.supportsBackChannelLogout()).isTrue();
		assertThat(metadata.supportsBackChannelLogoutSession()).isTrue();
		JsonNode oauthMetadata = this.api.get("/.well-known/oauth-authorization-server/t/" + t.tenant, null).json();
		assertThat(oauthMetadata.get("issuer").asString()).isEqualTo(this.api.issuer(t.tenant));
		assertThat(oauthMetadata.get("response_modes_supported").toString()).contains("form_post");
		// A public app revokes its refresh token with its client_id alone (PublicClientRefreshTest); introspection
		// is for confidential apps only.
		assertThat(metadata.getRevocationEndpointAuthMethods().stream().map(m -> m.getValue()))
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
		assertThat(metadata.getIntrospectionEndpointAuthMethods().stream().map(m -> m.getValue()))
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt");
		for (String endpoint : List.of("token", "introspection", "revocation")) {
			assertThat(oauthMetadata.get(endpoint + "_endpoint_auth_signing_alg_values_supported").toString())
				.isEqualTo("[\"RS256\",\"PS256\",\"ES256\"]");
		}
	}

	@Test
	void claimsMappingReleasesBuiltInAndCustomAttributesIntoTheChosenTokens() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "claims", "web");
		this.api.post("/api/v1/tenants/" + t.tenant + "/attributes",
				Map.of("name", "loyaltyTier", "dataType", "string", "inputControl", "radioSingleSelect", "allowedValues",
						List.of("silver", "gold")));
		this.api.post("/api/v1/tenants/" + t.tenant + "/users", Map.of("email", "mapped@example.com", "password",
				SignInSupport.PASSWORD, "city", "Lyon", "attributes", Map.of("loyaltyTier", "gold")));
		String app = "/api/v1/tenants/" + t.tenant + "/applications/" + t.app.get("id").asString();
		assertThat(this.api.patch(app, Map.of("claimsMapping", List.of(Map.of("source", "nope", "claim", "x")))).status())
			.isEqualTo(400);
		assertThat(this.api.patch(app, Map.of("claimsMapping", List.of(Map.of("source", "city", "claim", "sub")))).status())
			.isEqualTo(400);
		assertThat(this.api.patch(app, Map.of("claimsMapping", List.of(Map.of("source", "city", "claim", "email")))).status())
			.isEqualTo(400);
		assertThat(this.api.patch(app, Map.of("claimsMapping", List.of(
				Map.of("source", "loyaltyTier", "claim", "tier", "idToken", true, "accessToken", true),
				Map.of("source", "city", "claim", "town")))).status()).isEqualTo(200);
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			OIDCTokenResponse tokens = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "mapped@example.com", SignInSupport.PASSWORD, "openid"));
			var id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
			assertThat(id.getStringClaim("tier")).isEqualTo("gold");
			assertThat(id.getStringClaim("town")).isEqualTo("Lyon");
			var access = SignedJWT.parse(tokens.getOIDCTokens().getAccessToken().getValue()).getJWTClaimsSet();
			assertThat(access.getStringClaim("tier")).isEqualTo("gold");
			assertThat(access.getClaim("town")).isNull();
		}
	}

	@Test
	void browserAppsGetCorsForTheirOwnOriginsOnly() throws Exception {
		String tenant = this.api.newTenant("cors");
		this.api.post("/api/v1/tenants/" + tenant + "/applications", Map.of("displayName", "SPA", "type", "spa",
				"redirectUris", List.of("https://spa.example.com/callback")));
		for (String[] origin : new String[][] { { "https://spa.example.com", "200" }, { "https://evil.example", "403" } }) {
			var preflight = this.api.send(java.net.http.HttpRequest
				.newBuilder(URI.create(this.api.issuer(tenant) + "/oauth2/token"))
				.header("Origin", origin[0])
				.header("Access-Control-Request-Method", "POST")
				.header("Access-Control-Request-Headers", "content-type")
				.method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
			assertThat(preflight.status()).as(origin[0]).isEqualTo(Integer.parseInt(origin[1]));
			if (origin[1].equals("200")) {
				assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(origin[0]);
			}
		}
		var jwks = this.api.send(java.net.http.HttpRequest.newBuilder(URI.create(this.api.issuer(tenant) + "/oauth2/jwks"))
			.header("Origin", "https://anyone.example"));
		assertThat(jwks.header("Access-Control-Allow-Origin")).isIn("*", "https://anyone.example");
	}

	@Test
	void pagesDoNotRestrictWhereTheirFormsRedirect() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "csp", "web");
		try (Browser browser = new Browser()) {
			browser.open(t.client().authorizationRequest("openid").toString());
			assertThat(browser.header("Content-Security-Policy")).contains("frame-ancestors 'none'").doesNotContain("form-action");
		}
	}

	/** URL-encoding as the Nimbus request serialiser does it. */
	static final class URLs {

		static String encode(String value) {
			return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
		}

	}

}
