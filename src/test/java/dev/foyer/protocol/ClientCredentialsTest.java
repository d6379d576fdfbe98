package dev.foyer.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.StatementLog;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/**
 * client_credentials as an independent OAuth library (Nimbus oauth2-oidc-sdk) sees it: discovery, the token
 * endpoint with both secret methods, and the token validated against the published JWKS alone. And the grant
 * writes nothing to the database.
 */
@ContextConfiguration(initializers = TestFoyer.OnOwnH2.class)
@Import(StatementLog.class)
class ClientCredentialsTest extends FoyerIntegrationTest {

	@Autowired
	private StatementLog statements;

	@Test
	void anIndependentClientGetsAndValidatesTokens() throws Exception {
		String tenant = this.api.newTenant("cc");
		JsonNode app = this.api.post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Daemon", "type", "service")).json();
		ClientID clientId = new ClientID(app.get("clientId").asString());
		Secret secret = new Secret(app.get("clientSecret").asString());

		OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(this.api.issuer(tenant)));
		assertThat(metadata.getIssuer().getValue()).isEqualTo(this.api.issuer(tenant));

		for (var auth : List.of(new ClientSecretBasic(clientId, secret), new ClientSecretPost(clientId, secret))) {
			TokenResponse response = TokenResponse.parse(
					new TokenRequest(metadata.getTokenEndpointURI(), auth, new ClientCredentialsGrant()).toHTTPRequest().send());
			assertThat(response.indicatesSuccess()).as(auth.getMethod().getValue()).isTrue();
			String accessToken = response.toSuccessResponse().getTokens().getAccessToken().getValue();

			DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
			processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
			processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
					JWKSourceBuilder.create(new URL(metadata.getJWKSetURI().toString())).build()));
			processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
					new JWTClaimsSet.Builder().issuer(this.api.issuer(tenant)).build(), java.util.Set.of("exp", "iat", "sub")));
			JWTClaimsSet claims = processor.process(accessToken, null);
			assertThat(claims.getSubject()).isEqualTo(clientId.getValue());
			assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId.getValue());
		}

		TokenResponse refused = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(),
				new ClientSecretBasic(clientId, new Secret("wrong")), new ClientCredentialsGrant()).toHTTPRequest().send());
		assertThat(refused.indicatesSuccess()).isFalse();
		assertThat(((TokenErrorResponse) refused).getErrorObject().getCode()).isEqualTo("invalid_client");

		// No client authentication at all: the same invalid_client, as JSON, at the token, introspection and
		// revocation endpoints (RFC 6749 5.2, RFC 7662 2.3), not an empty 401.
		for (var endpoint : Map.of("/oauth2/token", "grant_type=client_credentials", "/oauth2/introspect", "token=whatever",
				"/oauth2/revoke", "token=whatever").entrySet()) {
			Api.Response answer = this.api.send(java.net.http.HttpRequest.newBuilder(URI.create(this.api.issuer(tenant) + endpoint.getKey()))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(endpoint.getValue())));
			assertThat(answer.status()).as(endpoint.getKey()).isEqualTo(401);
			assertThat(answer.json().get("error").asString()).as(endpoint.getKey()).isEqualTo("invalid_client");
			// These endpoints take POST only: another method is told so, not sent a 404.
			Api.Response get = this.api.send(java.net.http.HttpRequest.newBuilder(
					URI.create(this.api.issuer(tenant) + endpoint.getKey() + "?" + endpoint.getValue())).GET());
			assertThat(get.status()).as("GET " + endpoint.getKey()).isEqualTo(405);
			assertThat(get.header("Allow")).as("GET " + endpoint.getKey()).isEqualTo("POST");
			assertThat(get.header("Content-Type")).as("GET " + endpoint.getKey()).startsWith("application/problem+json");
		}

		// One client authentication method per request (RFC 6749 2.3), and no client_id naming another client.
		String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((clientId.getValue() + ":" + secret.getValue())
			.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		for (var twice : Map.of("client_id=" + clientId.getValue() + "&client_secret=" + secret.getValue(), 400,
				"client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=x.y.z", 400,
				"client_id=someone-else", 401).entrySet()) {
			Api.Response twiceAuthenticated = this.api.send(java.net.http.HttpRequest.newBuilder(URI.create(this.api.issuer(tenant) + "/oauth2/token"))
				.header("Authorization", basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&" + twice.getKey())));
			assertThat(twiceAuthenticated.status()).as(twice.getKey()).isEqualTo(twice.getValue());
			assertThat(twiceAuthenticated.json().get("error").asString()).as(twice.getKey())
				.isEqualTo(twice.getValue() == 400 ? "invalid_request" : "invalid_client");
		}
		Api.Response sameClient = this.api.send(java.net.http.HttpRequest.newBuilder(URI.create(this.api.issuer(tenant) + "/oauth2/token"))
			.header("Authorization", basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId.getValue())));
		assertThat(sameClient.status()).as("client_id naming the same client").isEqualTo(200);

		// Another tenant's token endpoint does not know this client.
		String other = this.api.newTenant("cc2");
		TokenResponse foreign = TokenResponse.parse(new TokenRequest(URI.create(this.api.issuer(other) + "/oauth2/token"),
				new ClientSecretBasic(clientId, secret), new ClientCredentialsGrant()).toHTTPRequest().send());
		assertThat(foreign.indicatesSuccess()).isFalse();
	}

	@Test
	void theGrantWritesNothingToTheDatabase() {
		String tenant = this.api.newTenant("nowrite");
		JsonNode app = this.api.post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Daemon", "type", "service")).json();
		String clientId = app.get("clientId").asString();
		String secret = app.get("clientSecret").asString();
		assertThat(this.api.clientCredentials(tenant, clientId, secret).status()).isEqualTo(200);

		this.statements.clear();
		for (int i = 0; i < 50; i++) {
			assertThat(this.api.clientCredentials(tenant, clientId, secret).status()).isEqualTo(200);
		}
		assertThat(this.statements.writes()).isEmpty();
		// Warm caches: clients, tenants and keys come from memory, so the hot path does not even read.
		assertThat(this.statements.statements()).isEmpty();

		// The log does see writes, so the emptiness above means something.
		this.api.post("/api/v1/tenants/" + tenant + "/users", Map.of("email", "w@example.com"));
		assertThat(this.statements.writes()).isNotEmpty();
	}

	@Test
	void aServiceGetsTheRolesItHoldsOnAnApiFromMemory() throws Exception {
		String tenant = this.api.newTenant("ccroles");
		String apps = "/api/v1/tenants/" + tenant + "/applications";
		JsonNode daemon = this.api.post(apps, Map.of("displayName", "Daemon", "type", "service")).json();
		String clientId = daemon.get("clientId").asString();
		String secret = daemon.get("clientSecret").asString();
		JsonNode orders = this.api.post(apps, Map.of("displayName", "Orders API", "type", "service")).json();
		String ordersBase = apps + "/" + orders.get("id").asString();
		JsonNode roles = this.api.patch(ordersBase, Map.of("appRoles", List.of(
				Map.of("value", "Orders.Read", "displayName", "Read orders", "allowedMemberTypes", List.of("Application")),
				Map.of("value", "Orders.Write", "displayName", "Write orders", "allowedMemberTypes", List.of("Application")),
				Map.of("value", "Orders.Admin", "displayName", "Administer", "allowedMemberTypes", List.of("User")))))
			.json().get("appRoles");
		String read = roles.get(0).get("id").asString();
		String write = roles.get(1).get("id").asString();
		String scope = "api://" + orders.get("clientId").asString() + "/.default";

		// Holding none of the API's roles, the service may not ask for it.
		Api.Response refused = this.api.clientCredentials(tenant, clientId, secret, scope);
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("error").asString()).isEqualTo("invalid_scope");

		String readAssignment = this.api.post(ordersBase + "/appRoleAssignedTo", Map.of("principalType", "ServicePrincipal",
				"principalId", daemon.get("id").asString(), "appRoleId", read)).json().get("id").asString();
		this.api.post(ordersBase + "/appRoleAssignedTo", Map.of("principalType", "ServicePrincipal",
				"principalId", daemon.get("id").asString(), "appRoleId", write));
		JWTClaimsSet claims = SignedJWT.parse(this.api.clientCredentials(tenant, clientId, secret, scope).json()
			.get("access_token").asString()).getJWTClaimsSet();
		assertThat(claims.getAudience()).containsExactly(orders.get("clientId").asString());
		assertThat(claims.getStringListClaim("roles")).containsExactlyInAnyOrder("Orders.Read", "Orders.Write");
		// Entra's other form of the scope, the bare client id, works alike.
		assertThat(this.api.clientCredentials(tenant, clientId, secret, orders.get("clientId").asString() + "/.default")
			.status()).isEqualTo(200);
		// Without the scope, the token is the service's own, without roles.
		JWTClaimsSet own = SignedJWT.parse(this.api.clientCredentials(tenant, clientId, secret).json()
			.get("access_token").asString()).getJWTClaimsSet();
		assertThat(own.getClaim("roles")).isNull();

		// The roles come from memory: the grant reads nothing.
		this.statements.clear();
		for (int i = 0; i < 20; i++) {
			assertThat(this.api.clientCredentials(tenant, clientId, secret, scope).status()).isEqualTo(200);
		}
		assertThat(this.statements.statements()).isEmpty();

		// A withdrawn role leaves the very next token.
		assertThat(this.api.delete(ordersBase + "/appRoleAssignedTo/" + readAssignment).status()).isEqualTo(204);
		assertThat(SignedJWT.parse(this.api.clientCredentials(tenant, clientId, secret, scope).json()
			.get("access_token").asString()).getJWTClaimsSet().getStringListClaim("roles")).containsExactly("Orders.Write");
		// A deleted API takes the scope along.
		assertThat(this.api.delete(ordersBase).status()).isEqualTo(204);
		assertThat(this.api.clientCredentials(tenant, clientId, secret, scope).status()).isEqualTo(400);
	}

}
