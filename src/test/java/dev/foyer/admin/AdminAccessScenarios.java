package dev.foyer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.foyer.keys.ActiveKey;
import dev.foyer.keys.SigningAlgorithm;
import dev.foyer.keys.SigningKeys;
import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import tools.jackson.databind.JsonNode;

abstract class AdminAccessScenarios extends FoyerIntegrationTest {

	@Autowired
	private SigningKeys keys;

	/** A service application of the tenant holding the given roles, and a token it obtained. */
	private String tokenWithRoles(String tenant, String... roles) {
		JsonNode app = this.api.post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Automation", "type", "service")).json();
		for (String role : roles) {
			Api.Response assigned = this.api.post("/api/v1/tenants/" + tenant + "/roleAssignments",
					Map.of("principalId", app.get("id").asString(), "role", role));
			assertThat(assigned.status()).as(assigned.text()).isEqualTo(201);
		}
		return this.api.clientCredentials(tenant, app.get("clientId").asString(), app.get("clientSecret").asString())
			.json()
			.get("access_token")
			.asString();
	}

	@Test
	void missingOrInvalidTokensAnswer401WithProblemJson() throws Exception {
		Api.Response none = this.api.get("/api/v1/tenants", null);
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.header("Content-Type")).startsWith("application/problem+json");
		assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(this.api.get("/api/v1/tenants", "garbage").status()).isEqualTo(401);

		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.api.issuer("admin"))
			.subject("test-automation")
			.claim("client_id", "test-automation")
			.expirationTime(Date.from(Instant.now().plusSeconds(600)))
			.build();
		// alg: none
		String unsigned = new PlainJWT(new PlainHeader.Builder().type(new JOSEObjectType("at+jwt")).build(), claims).serialize();
		assertThat(this.api.get("/api/v1/tenants", unsigned).status()).isEqualTo(401);
		// a key that is not the tenant's
		SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"))
			.keyID(this.keys.activeKey("admin", SigningAlgorithm.RS256).kid()).build(), claims);
		foreign.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
		assertThat(this.api.get("/api/v1/tenants", foreign.serialize()).status()).isEqualTo(401);
		// the tenant's own key, but expired
		assertThat(this.api.get("/api/v1/tenants", signed("admin", "at+jwt", Instant.now().minusSeconds(60))).status())
			.isEqualTo(401);
		// the tenant's own key, but not an access token (an ID token has typ JWT)
		assertThat(this.api.get("/api/v1/tenants", signed("admin", "JWT", Instant.now().plusSeconds(600))).status())
			.isEqualTo(401);
		// the control: the same construction, valid, is accepted
		assertThat(this.api.get("/api/v1/tenants", signed("admin", "at+jwt", Instant.now().plusSeconds(600))).status())
			.isEqualTo(200);
	}

	private String signed(String tenant, String type, Instant expiry) throws Exception {
		ActiveKey key = this.keys.activeKey(tenant, SigningAlgorithm.RS256);
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.api.issuer(tenant))
			.subject("test-automation")
			.claim("client_id", "test-automation")
			.issueTime(Date.from(expiry.minusSeconds(3600)))
			.expirationTime(Date.from(expiry))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm().jws()).type(new JOSEObjectType(type))
			.keyID(key.kid()).build(), claims);
		jwt.sign(key.signer());
		return jwt.serialize();
	}

	@Test
	void directoryRolesDecideWhatATenantsOwnAdminsMayDo() {
		String tenant = this.api.newTenant("roles");
		String users = "/api/v1/tenants/" + tenant + "/users";
		String apps = "/api/v1/tenants/" + tenant + "/applications";

		String userAdmin = tokenWithRoles(tenant, "USER_ADMINISTRATOR");
		assertThat(this.api.post(users, Map.of("email", "u@example.com"), userAdmin).status()).isEqualTo(201);
		assertThat(this.api.get(users, userAdmin).status()).isEqualTo(200);
		assertThat(this.api.post("/api/v1/tenants/" + tenant + "/groups", Map.of("displayName", "G"), userAdmin).status())
			.isEqualTo(201);
		assertThat(this.api.post(apps, Map.of("displayName", "X", "type", "service"), userAdmin).status()).isEqualTo(403);
		assertThat(this.api.get("/api/v1/tenants/" + tenant + "/auditLogs", userAdmin).status()).isEqualTo(403);
		assertThat(this.api.get("/api/v1/tenants/" + tenant + "/auditLogs/signIns", userAdmin).status()).isEqualTo(403);
		String someone = this.api.get(users + "?search=u@", userAdmin).json().get("items").get(0).get("id").asString();
		assertThat(this.api.get(users + "/" + someone + "/sessions", userAdmin).status()).isEqualTo(200);
		assertThat(this.api.get("/api/v1/tenants", userAdmin).status()).isEqualTo(403);
		assertThat(this.api.post("/api/v1/tenants", Map.of("id", "sneaky-" + System.nanoTime(), "displayName", "S"), userAdmin)
			.status()).isEqualTo(403);

		String appAdmin = tokenWithRoles(tenant, "APPLICATION_ADMINISTRATOR");
		assertThat(this.api.post(apps, Map.of("displayName", "X", "type", "service"), appAdmin).status()).isEqualTo(201);
		assertThat(this.api.get(users, appAdmin).status()).isEqualTo(403);

		String tenantAdmin = tokenWithRoles(tenant, "TENANT_ADMINISTRATOR");
		assertThat(this.api.get(users, tenantAdmin).status()).isEqualTo(200);
		assertThat(this.api.get(apps, tenantAdmin).status()).isEqualTo(200);
		assertThat(this.api.get("/api/v1/tenants/" + tenant + "/auditLogs", tenantAdmin).status()).isEqualTo(200);
		assertThat(this.api.get("/api/v1/tenants/" + tenant + "/auditLogs/signIns", tenantAdmin).status()).isEqualTo(200);
		assertThat(this.api.patch("/api/v1/tenants/" + tenant, Map.of("displayName", "Mine"), tenantAdmin).status()).isEqualTo(200);
		assertThat(this.api.delete("/api/v1/tenants/" + tenant + "?confirm=" + tenant, tenantAdmin).status()).isEqualTo(403);

		String noRoles = tokenWithRoles(tenant);
		assertThat(this.api.get(users, noRoles).status()).isEqualTo(403);
		assertThat(this.api.get("/api/v1/tenants/" + tenant, noRoles).status()).isEqualTo(403);
	}

	@Test
	void anAdminOfTenantACanNeitherReadNorChangeTenantB() {
		String a = this.api.newTenant("iso-a");
		String b = this.api.newTenant("iso-b");
		String bUser = this.api.post("/api/v1/tenants/" + b + "/users", Map.of("email", "b@example.com")).json().get("id")
			.asString();
		String adminOfA = tokenWithRoles(a, "TENANT_ADMINISTRATOR");

		for (String path : List.of("/api/v1/tenants/" + b, "/api/v1/tenants/" + b + "/users",
				"/api/v1/tenants/" + b + "/users/" + bUser, "/api/v1/tenants/" + b + "/applications",
				"/api/v1/tenants/" + b + "/groups", "/api/v1/tenants/" + b + "/auditLogs",
				"/api/v1/tenants/" + b + "/auditLogs/signIns", "/api/v1/tenants/" + b + "/users/" + bUser + "/sessions",
				"/api/v1/tenants/" + b + "/roleAssignments", "/api/v1/tenants/admin/users")) {
			Api.Response answer = this.api.get(path, adminOfA);
			assertThat(answer.status()).as(path).isEqualTo(404);
			assertThat(answer.text()).as(path).doesNotContain("b@example.com");
		}
		assertThat(this.api.patch("/api/v1/tenants/" + b + "/users/" + bUser, Map.of("givenName", "Hacked"), adminOfA).status())
			.isEqualTo(404);
		assertThat(this.api.delete("/api/v1/tenants/" + b + "/users/" + bUser, adminOfA).status()).isEqualTo(404);
		assertThat(this.api.delete("/api/v1/tenants/" + b + "/users/" + bUser + "/sessions/any", adminOfA).status())
			.isEqualTo(404);
		assertThat(this.api.post("/api/v1/tenants/" + b + "/users", Map.of("email", "x@example.com"), adminOfA).status())
			.isEqualTo(404);
		// A role cannot be granted in another tenant either.
		assertThat(this.api.post("/api/v1/tenants/" + b + "/roleAssignments",
				Map.of("principalId", bUser, "role", "TENANT_ADMINISTRATOR"), adminOfA).status()).isEqualTo(404);

		JsonNode unchanged = this.api.get("/api/v1/tenants/" + b + "/users/" + bUser).json();
		assertThat(unchanged.get("givenName").isNull()).isTrue();
		// ... while the Global administrator of the admin tenant can.
		assertThat(this.api.get("/api/v1/tenants/" + b + "/users").status()).isEqualTo(200);
	}

	@Test
	void lesserAdministratorsCannotTakeOverMorePrivilegedPrincipals() {
		String tenant = this.api.newTenant("escalate");
		String appAdmin = tokenWithRoles(tenant, "APPLICATION_ADMINISTRATOR");
		String userAdmin = tokenWithRoles(tenant, "USER_ADMINISTRATOR");
		// A privileged app and a privileged account of the tenant.
		JsonNode privilegedApp = this.api.post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Privileged", "type", "service")).json();
		this.api.post("/api/v1/tenants/" + tenant + "/roleAssignments",
				Map.of("principalId", privilegedApp.get("id").asString(), "role", "TENANT_ADMINISTRATOR"));
		String privilegedUser = this.api.post("/api/v1/tenants/" + tenant + "/users",
				Map.of("email", "boss@example.com", "accountType", "admin")).json().get("id").asString();
		this.api.post("/api/v1/tenants/" + tenant + "/roleAssignments",
				Map.of("principalId", privilegedUser, "role", "TENANT_ADMINISTRATOR"));

		String apps = "/api/v1/tenants/" + tenant + "/applications/" + privilegedApp.get("id").asString();
		assertThat(this.api.post(apps + "/secrets", Map.of(), appAdmin).status()).isEqualTo(403);
		assertThat(this.api.delete(apps, appAdmin).status()).isEqualTo(403);
		String users = "/api/v1/tenants/" + tenant + "/users/" + privilegedUser;
		assertThat(this.api.patch(users, Map.of("password", "a new password of mine"), userAdmin).status()).isEqualTo(403);
		assertThat(this.api.delete(users, userAdmin).status()).isEqualTo(403);
		// Unprivileged principals stay theirs to manage.
		String plain = this.api.post("/api/v1/tenants/" + tenant + "/users", Map.of("email", "plain@example.com"), userAdmin)
			.json().get("id").asString();
		assertThat(this.api.patch("/api/v1/tenants/" + tenant + "/users/" + plain, Map.of("givenName", "P"), userAdmin).status())
			.isEqualTo(200);

		// In the admin tenant, a Tenant administrator cannot make itself (or anyone) Global administrator.
		JsonNode adminTenantApp = this.api.post("/api/v1/tenants/admin/applications",
				Map.of("displayName", "Ops helper", "type", "service")).json();
		this.api.post("/api/v1/tenants/admin/roleAssignments",
				Map.of("principalId", adminTenantApp.get("id").asString(), "role", "TENANT_ADMINISTRATOR"));
		String opsHelper = this.api.clientCredentials("admin", adminTenantApp.get("clientId").asString(),
				adminTenantApp.get("clientSecret").asString()).json().get("access_token").asString();
		assertThat(this.api.post("/api/v1/tenants/admin/roleAssignments",
				Map.of("principalId", adminTenantApp.get("id").asString(), "role", "GLOBAL_ADMINISTRATOR"), opsHelper).status())
			.isEqualTo(403);
		assertThat(this.api.get("/api/v1/tenants", opsHelper).status()).isEqualTo(403);
	}

	@Test
	void revokedRoleStopsWorkingAtOnce() {
		String tenant = this.api.newTenant("revoke");
		JsonNode app = this.api.post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "Automation", "type", "service")).json();
		String appId = app.get("id").asString();
		this.api.post("/api/v1/tenants/" + tenant + "/roleAssignments", Map.of("principalId", appId, "role", "USER_ADMINISTRATOR"));
		String token = this.api.clientCredentials(tenant, app.get("clientId").asString(), app.get("clientSecret").asString())
			.json().get("access_token").asString();
		assertThat(this.api.get("/api/v1/tenants/" + tenant + "/users", token).status()).isEqualTo(200);
		assertThat(this.api.delete("/api/v1/tenants/" + tenant + "/roleAssignments/" + appId + "/USER_ADMINISTRATOR").status())
			.isEqualTo(204);
		assertThat(this.api.get("/api/v1/tenants/" + tenant + "/users", token).status()).isEqualTo(403);
	}

	@Test
	void roleAssignmentsAreValidated() {
		String tenant = this.api.newTenant("assign");
		String assignments = "/api/v1/tenants/" + tenant + "/roleAssignments";
		String customer = this.api.post("/api/v1/tenants/" + tenant + "/users", Map.of("email", "c@example.com")).json()
			.get("id").asString();
		String admin = this.api.post("/api/v1/tenants/" + tenant + "/users",
				Map.of("email", "a@example.com", "accountType", "admin")).json().get("id").asString();
		String spa = this.api.post("/api/v1/tenants/" + tenant + "/applications",
				Map.of("displayName", "SPA", "type", "spa", "redirectUris", List.of("https://spa.example.com/cb"))).json()
			.get("id").asString();

		assertThat(this.api.post(assignments, Map.of("principalId", customer, "role", "USER_ADMINISTRATOR")).status()).isEqualTo(400);
		assertThat(this.api.post(assignments, Map.of("principalId", spa, "role", "USER_ADMINISTRATOR")).status()).isEqualTo(400);
		assertThat(this.api.post(assignments, Map.of("principalId", "nobody", "role", "USER_ADMINISTRATOR")).status()).isEqualTo(400);
		assertThat(this.api.post(assignments, Map.of("principalId", admin, "role", "EMPEROR")).status()).isEqualTo(400);
		assertThat(this.api.post(assignments, Map.of("principalId", admin, "role", "GLOBAL_ADMINISTRATOR")).status()).isEqualTo(400);
		assertThat(this.api.post(assignments, Map.of("principalId", admin, "role", "USER_ADMINISTRATOR")).status()).isEqualTo(201);
		assertThat(this.api.post(assignments, Map.of("principalId", admin, "role", "USER_ADMINISTRATOR")).status()).isEqualTo(409);
		assertThat(this.api.get(assignments).json().get("items")).hasSize(1);
	}

	@Test
	void aNulCharacterInAnIdIsTheCallersError() {
		// PostgreSQL refuses a NUL even in a value it only compares; H2 finds nothing. Either way a 4xx, never a 500.
		for (String path : new String[] { "/api/v1/tenants/admin/roleAssignments", "/api/v1/tenants/admin/groups" }) {
			Api.Response refused = path.endsWith("roleAssignments")
					? this.api.post(path, "{\"principalId\":\"a\\u0000b\",\"role\":\"USER_ADMINISTRATOR\"}")
					: this.api.post(path, Map.of("displayName", "nul group"));
			if (path.endsWith("groups")) {
				String group = refused.json().get("id").asString();
				refused = this.api.post(path + "/" + group + "/members", "{\"userId\":\"a\\u0000b\"}");
			}
			assertThat(refused.status()).as(path).isBetween(400, 404);
			assertThat(refused.header("Content-Type")).as(path).startsWith("application/problem+json");
		}
	}

	@Test
	void oversizedBodiesAnswer413() {
		String big = "{\"email\":\"big@example.com\",\"displayName\":\"" + "x".repeat(1_100_000) + "\"}";
		Api.Response refused = this.api.post("/api/v1/tenants/admin/users", big);
		assertThat(refused.status()).isEqualTo(413);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void servesTheOpenApiDocumentOfTheAdminApi() {
		Api.Response doc = this.api.get("/api/v1/openapi.json", null);
		assertThat(doc.status()).isEqualTo(200);
		JsonNode paths = doc.json().get("paths");
		assertThat(paths.propertyNames()).contains("/api/v1/tenants", "/api/v1/tenants/{tenantId}",
				"/api/v1/tenants/{tenantId}/users", "/api/v1/tenants/{tenantId}/users/{userId}",
				"/api/v1/tenants/{tenantId}/groups", "/api/v1/tenants/{tenantId}/applications",
				"/api/v1/tenants/{tenantId}/applications/{applicationId}/secrets",
				"/api/v1/tenants/{tenantId}/roleAssignments", "/api/v1/tenants/{tenantId}/auditLogs",
				"/api/v1/tenants/{tenantId}/auditLogs/signIns", "/api/v1/tenants/{tenantId}/users/{userId}/sessions",
				"/api/v1/tenants/{tenantId}/users/{userId}/sessions/{sessionId}");
		assertThat(paths.get("/api/v1/tenants/{tenantId}/users/{userId}").propertyNames()).contains("get", "patch", "delete");
		// Bodies in Microsoft Graph's shape are free-form objects, not Jackson's node class described by its getters.
		JsonNode extensionBody = paths.get("/api/v1/tenants/{tenantId}/identity/customAuthenticationExtensions")
			.get("post").get("requestBody").get("content").get("application/json").get("schema");
		assertThat(extensionBody.get("type").asString()).isEqualTo("object");
		assertThat(extensionBody.has("properties")).isFalse();
		assertThat(doc.json().get("components").get("schemas").has("JsonNode")).isFalse();
	}

}
