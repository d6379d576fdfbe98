package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/** An app chooses whether its tokens carry the person's security groups, by id or by name, with Entra's overage. */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class GroupsClaimTest extends FoyerIntegrationTest {

	private String group(SignInSupport t, String name, String userId) {
		String id = this.api.post("/api/v1/tenants/" + t.tenant + "/groups", Map.of("displayName", name)).json().get("id").asString();
		if (userId != null) {
			assertThat(this.api.post("/api/v1/tenants/" + t.tenant + "/groups/" + id + "/members", Map.of("userId", userId))
				.status()).isEqualTo(204);
		}
		return id;
	}

	private OIDCTokenResponse signIn(SignInSupport t, String email) throws Exception {
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			return SignInSupport.tokens(rp, SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid"));
		}
	}

	private void groupsClaim(SignInSupport t, String value, int status) {
		assertThat(this.api.patch("/api/v1/tenants/" + t.tenant + "/applications/" + t.app.get("id").asString(),
				Map.of("groupsClaim", value)).status()).isEqualTo(status);
	}

	@Test
	void tokensCarryTheGroupsTheAppAsksFor() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "groups", "web");
		String email = "member." + System.nanoTime() + "@example.com";
		String userId = t.user(email);
		String gold = group(t, "Gold members", userId);
		String staff = group(t, "Staff", userId);
		group(t, "Not mine", null);

		// By default, no groups.
		assertThat(signIn(t, email).getOIDCTokens().getIDToken().getJWTClaimsSet().getClaim("groups")).isNull();

		groupsClaim(t, "names", 200);
		OIDCTokenResponse byName = signIn(t, email);
		assertThat(byName.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringListClaim("groups"))
			.containsExactly("Gold members", "Staff");
		JWTClaimsSet access = SignedJWT.parse(byName.getOIDCTokens().getAccessToken().getValue()).getJWTClaimsSet();
		assertThat(access.getStringListClaim("groups")).containsExactly("Gold members", "Staff");

		groupsClaim(t, "ids", 200);
		assertThat(signIn(t, email).getOIDCTokens().getIDToken().getJWTClaimsSet().getStringListClaim("groups"))
			.containsExactlyInAnyOrder(gold, staff);

		groupsClaim(t, "everything", 400);
		assertThat(this.api.get("/api/v1/tenants/" + t.tenant + "/applications/" + t.app.get("id").asString()).json()
			.get("groupsClaim").asString()).isEqualTo("ids");

		// Over 150 groups: the overage indicator instead of a truncated list.
		for (int i = 0; i < 149; i++) {
			group(t, "Group " + i, userId);
		}
		JWTClaimsSet overage = signIn(t, email).getOIDCTokens().getIDToken().getJWTClaimsSet();
		assertThat(overage.getClaim("groups")).isNull();
		assertThat(overage.getBooleanClaim("hasgroups")).isTrue();
	}

}
