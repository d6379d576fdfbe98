package dev.foyer.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import tools.jackson.databind.JsonNode;

abstract class TenantScenarios extends FoyerIntegrationTest {

	@org.springframework.beans.factory.annotation.Autowired
	private dev.foyer.keys.SigningKeys keys;

	@Test
	void createsTenantWithItsOwnIssuerAndSigningKey() throws Exception {
		String id = "acme-" + Long.toHexString(System.nanoTime());
		Api.Response created = this.api.post("/api/v1/tenants", Map.of("id", id, "displayName", "Acme Inc."));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("issuer").asString()).isEqualTo(this.api.issuer(id));
		assertThat(created.header("Location")).isEqualTo("/api/v1/tenants/" + id);

		JsonNode discovery = this.api.get("/t/" + id + "/.well-known/openid-configuration", null).json();
		assertThat(discovery.get("issuer").asString()).isEqualTo(this.api.issuer(id));
		JWKSet keys = JWKSet.parse(this.api.get(discovery.get("jwks_uri").asString(), null).text());
		// A current and a next key for each of RS256 and ES256, public parts only.
		assertThat(keys.getKeys()).hasSize(4);
		assertThat(keys.getKeys().stream().map(k -> k.getKeyType().getValue())).containsExactlyInAnyOrder("RSA", "RSA", "EC", "EC");
		assertThat(keys.getKeys()).noneMatch(JWK::isPrivate);

		// Another tenant's keys are different keys.
		JWKSet adminKeys = JWKSet.parse(this.api.get("/t/admin/oauth2/jwks", null).text());
		assertThat(adminKeys.getKeys().stream().map(JWK::getKeyID))
			.doesNotContainAnyElementsOf(keys.getKeys().stream().map(JWK::getKeyID).toList());
	}

	@Test
	void privateKeysAreEncryptedAtRest() {
		String id = this.api.newTenant("sealed");
		List<String> sealed = this.jdbc.sql("select private_sealed from signing_key where tenant_id = ?")
			.param(id)
			.query(String.class)
			.list();
		assertThat(sealed).hasSize(4);
		// Sealed: no JWK text, neither as stored nor once the base64 is decoded (a check for "RSA" in the base64
		// text itself failed about once in 50 runs, when the random ciphertext happened to spell it).
		assertThat(sealed).allSatisfy(value -> {
			assertThat(value).startsWith("v1.").doesNotContain("\"d\"");
			String decoded = new String(java.util.Base64.getDecoder().decode(value.substring(3)),
					java.nio.charset.StandardCharsets.ISO_8859_1);
			assertThat(decoded).doesNotContain("\"kty\"").doesNotContain("\"d\"").doesNotContain("PRIVATE");
		});
	}

	@Test
	void tenantsFromBeforeTwoAlgorithmsGetTheirMissingKeysAtStart() throws Exception {
		String id = this.api.newTenant("upgrade");
		// What a tenant created by the first release had: one RS256 key.
		this.jdbc.sql("delete from signing_key where tenant_id = ? and not (algorithm = 'RS256' and status = 'current')")
			.param(id)
			.update();
		this.keys.forget(id);
		assertThat(this.keys.ensureComplete()).isEqualTo(3);
		assertThat(JWKSet.parse(this.api.get("/t/" + id + "/oauth2/jwks", null).text()).getKeys()).hasSize(4);
		assertThat(this.api.post("/api/v1/tenants/" + id + "/keys/rotate", Map.of()).status()).isEqualTo(200);
		assertThat(this.api.get("/api/v1/tenants/" + id + "/keys").json().get("items").valueStream()
			.filter(k -> k.get("status").asString().equals("current"))).hasSize(2);
	}

	@Test
	void es256IsSelectable() throws Exception {
		String id = "ec-" + Long.toHexString(System.nanoTime());
		Api.Response created = this.api.post("/api/v1/tenants",
				Map.of("id", id, "displayName", "EC", "signingAlgorithm", "ES256"));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("tokenPolicy").get("accessTokenAlgorithm").asString()).isEqualTo("ES256");
		String service = this.api.post("/api/v1/tenants/" + id + "/applications", Map.of("displayName", "S", "type", "service"))
			.text();
		JsonNode app = tools.jackson.databind.json.JsonMapper.builder().build().readTree(service);
		String token = this.api.clientCredentials(id, app.get("clientId").asString(), app.get("clientSecret").asString()).json()
			.get("access_token").asString();
		assertThat(com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getAlgorithm().getName()).isEqualTo("ES256");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ab", "Upper-case", "-leading", "trailing-", "has space", "admin", "api", "t",
			"x'; drop table tenant; --", "ünïcode", "this-id-is-definitely-longer-than-forty-chars" })
	void refusesInvalidOrReservedIds(String id) {
		int before = this.api.get("/api/v1/tenants").json().get("items").size();
		Api.Response refused = this.api.post("/api/v1/tenants", Map.of("id", id, "displayName", "Bad"));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("id");
		assertThat(this.api.get("/api/v1/tenants").json().get("items").size()).isEqualTo(before);
	}

	@Test
	void refusesDuplicateIdWith409() {
		String id = this.api.newTenant("dup");
		Api.Response again = this.api.post("/api/v1/tenants", Map.of("id", id, "displayName", "Again"));
		assertThat(again.status()).isEqualTo(409);
		assertThat(this.api.get("/api/v1/tenants/" + id).json().get("displayName").asString()).isEqualTo("Tenant " + id);
	}

	@Test
	void renamesAndLists() {
		String id = this.api.newTenant("rename");
		Api.Response renamed = this.api.patch("/api/v1/tenants/" + id, Map.of("displayName", "O'Brien & Sons \"Ltd\""));
		assertThat(renamed.status()).isEqualTo(200);
		assertThat(this.api.get("/api/v1/tenants/" + id).json().get("displayName").asString())
			.isEqualTo("O'Brien & Sons \"Ltd\"");
		assertThat(this.api.get("/api/v1/tenants").json().get("items").valueStream().map(t -> t.get("id").asString()))
			.contains(id, "admin");
	}

	@Test
	void deletesEverythingOfATenantOnlyWithConfirmation() {
		String id = this.api.newTenant("doomed");
		String user = this.api.post("/api/v1/tenants/" + id + "/users", Map.of("email", "a@doomed.example")).json()
			.get("id").asString();
		this.api.post("/api/v1/tenants/" + id + "/applications", Map.of("displayName", "App", "type", "service"));

		assertThat(this.api.delete("/api/v1/tenants/" + id).status()).isEqualTo(400);
		assertThat(this.api.delete("/api/v1/tenants/" + id + "?confirm=other").status()).isEqualTo(400);
		assertThat(this.api.get("/api/v1/tenants/" + id).status()).isEqualTo(200);

		assertThat(this.api.delete("/api/v1/tenants/" + id + "?confirm=" + id).status()).isEqualTo(204);
		assertThat(this.api.get("/api/v1/tenants/" + id).status()).isEqualTo(404);
		assertThat(this.api.get("/t/" + id + "/.well-known/openid-configuration", null).status()).isEqualTo(404);
		for (String table : List.of("account", "application", "client_secret", "signing_key", "security_group",
				"role_assignment", "audit_event")) {
			assertThat(this.jdbc.sql("select count(*) from " + table + " where tenant_id = ?").param(id).query(Integer.class).single())
				.as(table).isZero();
		}
		assertThat(this.jdbc.sql("select count(*) from account where id = ?").param(user).query(Integer.class).single()).isZero();
		// The deletion itself stays on record, in the admin tenant.
		assertThat(this.api.get("/api/v1/tenants/admin/auditLogs?action=tenant.delete&targetId=" + id).json().get("items"))
			.hasSize(1);
	}

	@Test
	void adminTenantCannotBeDeleted() {
		assertThat(this.api.delete("/api/v1/tenants/admin?confirm=admin").status()).isEqualTo(403);
	}

	@Test
	void unknownTenantHasNoProtocolEndpoints() {
		assertThat(this.api.get("/t/no-such-tenant/.well-known/openid-configuration", null).status()).isEqualTo(404);
		assertThat(this.api.clientCredentials("no-such-tenant", "x", "y").status()).isEqualTo(404);
	}

}
