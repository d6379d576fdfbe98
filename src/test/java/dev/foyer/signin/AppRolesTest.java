package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/** An app defines roles; people hold them directly or through a group, and find them in the tokens' roles claim. */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class AppRolesTest extends FoyerIntegrationTest {

	private OIDCTokenResponse signIn(SignInSupport t, String email) throws Exception {
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			return SignInSupport.tokens(rp, SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid"));
		}
	}

	private Api.Response assign(String base, String type, String principal, String role) {
		return this.api.post(base + "/appRoleAssignedTo", Map.of("principalType", type, "principalId", principal,
				"appRoleId", role));
	}

	@Test
	void rolesHeldDirectlyOrThroughAGroupReachTheTokens() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "roles", "web");
		String base = "/api/v1/tenants/" + t.tenant + "/applications/" + t.app.get("id").asString();
		String email = "roles." + System.nanoTime() + "@example.com";
		String userId = t.user(email);
		String groupId = this.api.post("/api/v1/tenants/" + t.tenant + "/groups", Map.of("displayName", "Readers")).json()
			.get("id").asString();
		this.api.post("/api/v1/tenants/" + t.tenant + "/groups/" + groupId + "/members", Map.of("userId", userId));
		String daemon = this.api.post("/api/v1/tenants/" + t.tenant + "/applications", Map.of("displayName", "Daemon",
				"type", "service")).json().get("id").asString();

		for (List<Map<String, Object>> bad : List.of(
				List.<Map<String, Object>>of(Map.of("value", "Shop Admin", "displayName", "A", "allowedMemberTypes", List.of("User"))),
				List.<Map<String, Object>>of(Map.of("value", "A", "displayName", "A", "allowedMemberTypes", List.of("User")),
						Map.of("value", "A", "displayName", "B", "allowedMemberTypes", List.of("User"))),
				List.<Map<String, Object>>of(Map.of("value", "A", "displayName", "A", "allowedMemberTypes", List.of("Robot"))))) {
			assertThat(this.api.patch(base, Map.of("appRoles", bad)).status()).as(bad.toString()).isEqualTo(400);
		}
		JsonNode app = this.api.patch(base, Map.of("appRoles", List.of(
				Map.of("value", "Shop.Admin", "displayName", "Administrator", "allowedMemberTypes", List.of("User")),
				Map.of("value", "Shop.Reader", "displayName", "Reader", "allowedMemberTypes", List.of("User")),
				Map.of("value", "Jobs.Run", "displayName", "Run jobs", "allowedMemberTypes", List.of("Application")),
				Map.of("value", "Shop.Old", "displayName", "Old", "allowedMemberTypes", List.of("User"), "isEnabled", false))))
			.json();
		Map<String, String> ids = new java.util.HashMap<>();
		app.get("appRoles").forEach(r -> ids.put(r.get("value").asString(), r.get("id").asString()));

		assertThat(assign(base, "User", userId, ids.get("Shop.Admin")).status()).isEqualTo(201);
		assertThat(assign(base, "Group", groupId, ids.get("Shop.Reader")).status()).isEqualTo(201);
		assertThat(assign(base, "ServicePrincipal", daemon, ids.get("Jobs.Run")).status()).isEqualTo(201);
		assertThat(assign(base, "User", userId, ids.get("Shop.Old")).status()).isEqualTo(201);
		assertThat(assign(base, "User", userId, ids.get("Jobs.Run")).status()).isEqualTo(400);
		assertThat(assign(base, "ServicePrincipal", daemon, ids.get("Shop.Admin")).status()).isEqualTo(400);
		assertThat(assign(base, "User", "no-such-user", ids.get("Shop.Admin")).status()).isEqualTo(400);
		assertThat(assign(base, "Robot", userId, ids.get("Shop.Admin")).status()).isEqualTo(400);
		assertThat(assign(base, "User", userId, ids.get("Shop.Admin")).status()).isEqualTo(409);
		// A user of another tenant cannot be given this tenant's role.
		SignInSupport other = new SignInSupport(this.api, "roles-other", "web");
		String stranger = other.user("stranger." + System.nanoTime() + "@example.com");
		assertThat(assign(base, "User", stranger, ids.get("Shop.Admin")).status()).isEqualTo(400);
		assertThat(this.api.get(base + "/appRoleAssignedTo").json().get("items")).hasSize(4);

		OIDCTokenResponse tokens = signIn(t, email);
		assertThat(tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringListClaim("roles"))
			.containsExactlyInAnyOrder("Shop.Admin", "Shop.Reader");
		JWTClaimsSet access = SignedJWT.parse(tokens.getOIDCTokens().getAccessToken().getValue()).getJWTClaimsSet();
		assertThat(access.getStringListClaim("roles")).containsExactlyInAnyOrder("Shop.Admin", "Shop.Reader");

		// The group goes, and the role held through it with it.
		assertThat(this.api.delete("/api/v1/tenants/" + t.tenant + "/groups/" + groupId).status()).isEqualTo(204);
		assertThat(signIn(t, email).getOIDCTokens().getIDToken().getJWTClaimsSet().getStringListClaim("roles"))
			.containsExactly("Shop.Admin");

		// A role taken off the app takes its assignments along.
		assertThat(this.api.patch(base, Map.of("appRoles", List.of(Map.of("id", ids.get("Jobs.Run"), "value", "Jobs.Run",
				"displayName", "Run jobs", "allowedMemberTypes", List.of("Application"))))).status()).isEqualTo(200);
		assertThat(this.api.get(base + "/appRoleAssignedTo").json().get("items")).hasSize(1);
		assertThat(signIn(t, email).getOIDCTokens().getIDToken().getJWTClaimsSet().getClaim("roles")).isNull();
	}

}
