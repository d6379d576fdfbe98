package dev.foyer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import tools.jackson.databind.JsonNode;

abstract class ApplicationScenarios extends FoyerIntegrationTest {

	private String tenant;

	private String apps;

	@BeforeEach
	void tenant() {
		this.tenant = this.api.newTenant("apps");
		this.apps = "/api/v1/tenants/" + this.tenant + "/applications";
	}

	private JsonNode register(String type, List<String> redirectUris) {
		Api.Response created = this.api.post(this.apps,
				Map.of("displayName", "My " + type, "type", type, "redirectUris", redirectUris));
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return created.json();
	}

	@Test
	void registersEachTypeAndShowsTheSecretOnlyOnce() {
		JsonNode web = register("web", List.of("https://app.example.com/callback"));
		assertThat(web.get("clientSecret").asString()).hasSizeGreaterThanOrEqualTo(43);
		assertThat(web.get("type").asString()).isEqualTo("web");
		JsonNode spa = register("spa", List.of("http://localhost:3000/cb"));
		assertThat(spa.has("clientSecret")).isFalse();
		JsonNode nativeApp = register("native", List.of("com.example.app:/oauth2redirect", "http://127.0.0.1/cb"));
		assertThat(nativeApp.has("clientSecret")).isFalse();
		JsonNode service = register("service", List.of());
		assertThat(service.get("clientSecret").asString()).isNotBlank();

		String fetched = this.api.get(this.apps + "/" + web.get("id").asString()).text();
		assertThat(fetched).doesNotContain(web.get("clientSecret").asString()).doesNotContain("clientSecret");
		assertThat(this.api.get(this.apps).json().get("items")).hasSize(4);
		assertThat(this.api.get(this.apps).text()).doesNotContain(web.get("clientSecret").asString());
		assertThat(this.api.get("/api/v1/tenants/" + this.tenant + "/auditLogs").text())
			.doesNotContain(web.get("clientSecret").asString());
	}

	@Test
	void storesSecretsAsSha256Digests() {
		JsonNode service = register("service", List.of());
		String secret = service.get("clientSecret").asString();
		List<String> stored = this.jdbc.sql("select secret_sha256 from client_secret where application_id = ?")
			.param(service.get("id").asString())
			.query(String.class)
			.list();
		assertThat(stored).containsExactly(ClientSecrets.sha256Hex(secret));
	}

	@Test
	void refusesUnsafeRedirectUris() {
		Map<String, List<String>> refusedFor = Map.of("web",
				List.of("http://app.example.com/cb", "https://app.example.com/cb#frag", "https://*.example.com/cb", "/relative",
						"javascript:alert(1)", "com.example.app:/cb", "not a uri"),
				"spa", List.of("http://evil.example/cb", "data:text/html,hi"), "native", List.of("myapp:/cb", "file:///etc/passwd"),
				"service", List.of("https://service.example.com/cb"));
		refusedFor.forEach((type, uris) -> {
			for (String uri : uris) {
				Api.Response refused = this.api.post(this.apps,
						Map.of("displayName", "Bad", "type", type, "redirectUris", List.of(uri)));
				assertThat(refused.status()).as(type + " " + uri).isEqualTo(400);
				assertThat(refused.json().get("errors").get(0).get("field").asString()).startsWith("redirectUris");
			}
		});
		List<String> tooMany = new ArrayList<>();
		for (int i = 0; i < 101; i++) {
			tooMany.add("https://app.example.com/cb" + i);
		}
		assertThat(this.api.post(this.apps, Map.of("displayName", "Many", "type", "web", "redirectUris", tooMany)).status())
			.isEqualTo(400);
		assertThat(this.api.post(this.apps, Map.of("displayName", "Typo", "type", "webapp")).status()).isEqualTo(400);
		assertThat(this.api.get(this.apps).json().get("items")).isEmpty();
	}

	@Test
	void updatesAndDeletes() {
		JsonNode web = register("web", List.of("https://app.example.com/callback"));
		String path = this.apps + "/" + web.get("id").asString();
		JsonNode updated = this.api.patch(path, Map.of("displayName", "Renamed", "redirectUris",
				List.of("https://app.example.com/a", "https://app.example.com/b"), "postLogoutRedirectUris",
				List.of("https://app.example.com/bye"))).json();
		assertThat(updated.get("displayName").asString()).isEqualTo("Renamed");
		assertThat(updated.get("redirectUris")).hasSize(2);
		assertThat(this.api.patch(path, Map.of("redirectUris", List.of("http://evil.example/"))).status()).isEqualTo(400);
		assertThat(this.api.get(path).json().get("redirectUris")).hasSize(2);
		assertThat(this.api.delete(path).status()).isEqualTo(204);
		assertThat(this.api.get(path).status()).isEqualTo(404);
	}

	@Test
	void serviceAppGetsSelfContainedTokensFromItsTenantOnly() throws Exception {
		JsonNode service = register("service", List.of());
		String clientId = service.get("clientId").asString();
		String secret = service.get("clientSecret").asString();

		Api.Response token = this.api.clientCredentials(this.tenant, clientId, secret);
		assertThat(token.status()).isEqualTo(200);
		SignedJWT jwt = SignedJWT.parse(token.json().get("access_token").asString());
		assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(this.api.issuer(this.tenant));
		assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(clientId);
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(clientId);

		assertThat(this.api.clientCredentials(this.tenant, clientId, secret + "x").status()).isEqualTo(401);
		assertThat(this.api.clientCredentials("admin", clientId, secret).status()).isEqualTo(401);
		String other = this.api.newTenant("apps2");
		assertThat(this.api.clientCredentials(other, clientId, secret).status()).isEqualTo(401);
	}

	@Test
	void rotatesSecretsWithOverlap() {
		JsonNode service = register("service", List.of());
		String clientId = service.get("clientId").asString();
		String first = service.get("clientSecret").asString();
		String secrets = this.apps + "/" + service.get("id").asString() + "/secrets";

		Api.Response added = this.api.post(secrets, Map.of("displayName", "2027 rotation", "expiresInDays", 30));
		assertThat(added.status()).isEqualTo(201);
		String second = added.json().get("secret").asString();
		assertThat(this.api.clientCredentials(this.tenant, clientId, first).status()).isEqualTo(200);
		assertThat(this.api.clientCredentials(this.tenant, clientId, second).status()).isEqualTo(200);

		JsonNode listed = this.api.get(secrets).json().get("items");
		assertThat(listed).hasSize(2);
		assertThat(listed.toString()).doesNotContain(first).doesNotContain(second);
		assertThat(listed.get(1).get("hint").asString()).isEqualTo(second.substring(0, 3));

		String firstId = listed.get(0).get("id").asString();
		assertThat(this.api.delete(secrets + "/" + firstId).status()).isEqualTo(204);
		assertThat(this.api.clientCredentials(this.tenant, clientId, first).status()).isEqualTo(401);
		assertThat(this.api.clientCredentials(this.tenant, clientId, second).status()).isEqualTo(200);

		assertThat(this.api.post(secrets, Map.of("expiresInDays", 0)).status()).isEqualTo(400);
		assertThat(this.api.post(secrets, Map.of("expiresInDays", 731)).status()).isEqualTo(400);
		JsonNode spa = register("spa", List.of("https://spa.example.com/cb"));
		assertThat(this.api.post(this.apps + "/" + spa.get("id").asString() + "/secrets", Map.of()).status()).isEqualTo(400);
	}

	@Test
	void deletedAppStopsGettingTokensAtOnce() {
		JsonNode service = register("service", List.of());
		String clientId = service.get("clientId").asString();
		String secret = service.get("clientSecret").asString();
		assertThat(this.api.clientCredentials(this.tenant, clientId, secret).status()).isEqualTo(200);
		assertThat(this.api.delete(this.apps + "/" + service.get("id").asString()).status()).isEqualTo(204);
		assertThat(this.api.clientCredentials(this.tenant, clientId, secret).status()).isEqualTo(401);
	}

}
