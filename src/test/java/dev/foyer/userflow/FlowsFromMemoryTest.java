package dev.foyer.userflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.signin.OidcTestClients;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.StatementLog;
import dev.foyer.support.TestFoyer;

import tools.jackson.databind.JsonNode;

/**
 * A tenant's user flows are read from memory by the hosted pages, and every change to them shows on the next page:
 * a new default flow, a change to it, its deletion, and all of them gone with a deleted tenant. (Other nodes within
 * a second: ManyNodesTest.)
 */
@ContextConfiguration(initializers = TestFoyer.OnOwnH2.class)
@Import(StatementLog.class)
class FlowsFromMemoryTest extends FoyerIntegrationTest {

	@Autowired
	private StatementLog statements;

	@Test
	void readFromMemoryAndChangedAtOnce() throws Exception {
		String tenant = this.api.newTenant("mflows");
		String flows = "/api/v1/tenants/" + tenant + "/userFlows";
		JsonNode app = this.api.post("/api/v1/tenants/" + tenant + "/applications", Map.of("displayName", "Shop", "type",
				"web", "redirectUris", List.of(this.api.base() + "/callback"))).json();
		var rp = OidcTestClients.client(this.api, tenant, app);
		String authorize = rp.authorizationRequest("openid").toString();

		// The built-in default, then from memory: the sign-in page reads no flow.
		assertThat(signInPage(authorize)).contains("Create one");
		this.statements.clear();
		assertThat(signInPage(authorize)).contains("Create one");
		assertThat(this.statements.statements()).isNotEmpty().noneMatch(sql -> sql.contains("user_flow"));

		// A new default flow shows on the next page, and so does a change to it.
		String id = this.api.post(flows, Map.of("displayName", "Members", "isDefault", true, "selfServiceSignUp", false,
				"texts", Map.of("en", Map.of("SignIn_Title", "Members only")))).json().get("id").asString();
		assertThat(signInPage(authorize)).contains("Members only").doesNotContain("Create one");
		assertThat(this.api.patch(flows + "/" + id, Map.of("selfServiceSignUp", true)).status()).isEqualTo(200);
		assertThat(signInPage(authorize)).contains("Members only").contains("Create one");

		// Deleted: the built-in default again.
		assertThat(this.api.delete(flows + "/" + id).status()).isEqualTo(204);
		assertThat(signInPage(authorize)).doesNotContain("Members only").contains("Create one");

		// A deleted tenant's flows go with it: the same id created again has none.
		this.api.post(flows, Map.of("displayName", "Again", "isDefault", true));
		assertThat(this.api.get(flows).json().get("items")).hasSize(1);
		assertThat(this.api.delete("/api/v1/tenants/" + tenant + "?confirm=" + tenant).status()).isEqualTo(204);
		assertThat(this.api.post("/api/v1/tenants", Map.of("id", tenant, "displayName", "Again")).status()).isEqualTo(201);
		assertThat(this.api.get(flows).json().get("items")).isEmpty();
	}

	private static String signInPage(String authorize) throws Exception {
		try (Browser browser = new Browser()) {
			browser.open(authorize);
			return browser.text();
		}
	}

}
