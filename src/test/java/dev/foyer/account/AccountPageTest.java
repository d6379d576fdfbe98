package dev.foyer.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.DomElement;
import dev.foyer.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;

import dev.foyer.signin.OidcTestClients;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/** The hosted account page, driven as its owner would. */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class AccountPageTest extends FoyerIntegrationTest {

	private static final String PASSWORD = "my account passphrase";

	private record Setup(String tenant, JsonNode app, String userId, String email) {
	}

	private Setup setup(String prefix) {
		String tenant = this.api.newTenant(prefix);
		JsonNode app = this.api.post("/api/v1/tenants/" + tenant + "/applications", Map.of("displayName", "Shop", "type", "web",
				"redirectUris", List.of(this.api.base() + "/callback"))).json();
		String email = prefix + "." + System.nanoTime() + "@example.com";
		String userId = this.api.post("/api/v1/tenants/" + tenant + "/users",
				Map.of("email", email, "password", PASSWORD, "givenName", "Old", "city", "Paris")).json().get("id").asString();
		return new Setup(tenant, app, userId, email);
	}

	private void signIn(Browser browser, Setup s) {
		browser.open(this.api.base() + "/t/" + s.tenant() + "/account");
		browser.fill("Email address", s.email()).fill("Password", PASSWORD).click("Sign in");
		assertThat(browser.url().getPath()).isEqualTo("/t/" + s.tenant() + "/account");
	}

	@Test
	void editsOnlyTheAllowedProfileAttributesAndChangesThePassword() throws Exception {
		Setup s = setup("profile");
		try (Browser browser = new Browser(); Browser other = new Browser()) {
			signIn(browser, s);
			signIn(other, s);
			assertThat(browser.text()).contains(s.email()).contains("Given name").doesNotContain("City");
			browser.fill("Given name", "New").click("Save profile");
			assertThat(browser.text()).contains("Your profile is saved.");
			JsonNode user = this.api.get("/api/v1/tenants/" + s.tenant() + "/users/" + s.userId()).json();
			assertThat(user.get("givenName").asString()).isEqualTo("New");
			assertThat(user.get("city").asString()).isEqualTo("Paris");

			browser.fill("Current password", "not my password").fill("New password", "a different passphrase").click("Change password");
			assertThat(browser.text()).contains("current password is not correct");
			browser.fill("Current password", PASSWORD).fill("New password", "a different passphrase").click("Change password");
			assertThat(browser.text()).contains("Your password is changed");
			// The other device is signed out; this one goes on.
			other.open(this.api.base() + "/t/" + s.tenant() + "/account");
			assertThat(other.url().getPath()).isEqualTo("/t/" + s.tenant() + "/login");
			browser.open(this.api.base() + "/t/" + s.tenant() + "/account");
			assertThat(browser.url().getPath()).isEqualTo("/t/" + s.tenant() + "/account");
		}
	}

	@Test
	void theProfileEditFlowDecidesWhatIsEditableAndHowItIsLabelled() throws Exception {
		Setup s = setup("profileflow");
		Api.Response flow = this.api.post("/api/v1/tenants/" + s.tenant() + "/userFlows", Map.of("kind", "profileEdit",
				"displayName", "Profile", "isDefault", true, "editableAttributes", List.of("city"),
				"texts", Map.of("en", Map.of("Attribute_City", "Home town"))));
		assertThat(flow.status()).as(flow.text()).isEqualTo(201);
		try (Browser browser = new Browser()) {
			signIn(browser, s);
			assertThat(browser.text()).contains("Home town").doesNotContain("Given name");
			// A forged field outside the flow's list changes nothing.
			HtmlForm form = browser.html().getFirstByXPath("//form[.//button[normalize-space()='Save profile']]");
			DomElement forged = browser.html().createElement("input");
			forged.setAttribute("type", "hidden");
			forged.setAttribute("name", "attr.givenName");
			forged.setAttribute("value", "Forged");
			form.appendChild(forged);
			browser.fill("Home town", "Lyon").click("Save profile");
			assertThat(browser.text()).contains("Your profile is saved.");
		}
		JsonNode user = this.api.get("/api/v1/tenants/" + s.tenant() + "/users/" + s.userId()).json();
		assertThat(user.get("city").asString()).isEqualTo("Lyon");
		assertThat(user.get("givenName").asString()).isEqualTo("Old");
	}

	@Test
	void showsItsOwnRecentSignInActivity() throws Exception {
		Setup s = setup("activity");
		Setup other = setup("activityother");
		try (Browser browser = new Browser()) {
			browser.open(this.api.base() + "/t/" + s.tenant() + "/account");
			browser.fill("Email address", s.email()).fill("Password", "not the password").click("Sign in");
			browser.fill("Email address", s.email()).fill("Password", PASSWORD).click("Sign in");
			assertThat(browser.url().getPath()).isEqualTo("/t/" + s.tenant() + "/account");
			// An app's sign-in answered from the session is in the log (and the export), not among the attempts here.
			browser.open(OidcTestClients.client(this.api, s.tenant(), s.app()).authorizationRequest("openid").toString());
			assertThat(browser.url().getPath()).isEqualTo("/callback");
			browser.open(this.api.base() + "/t/" + s.tenant() + "/account");
			browser.follow("Download your data");
			assertThat(browser.text()).contains("\"interactive\" : false");
			browser.open(this.api.base() + "/t/" + s.tenant() + "/account");
			List<String> attempts = browser.html().getByXPath("//h2[normalize-space()='Recent sign-in activity']"
					+ "/following-sibling::ul[1]/li").stream().map(li -> ((DomElement) li).asNormalizedText()).toList();
			assertThat(attempts).hasSize(2);
			assertThat(attempts.get(0)).contains("Signed in").contains("127.0.0.1");
			assertThat(attempts.get(1)).contains("Wrong password or code");
		}
		// Another account's attempts, in another tenant, are not on this page, nor these on its.
		try (Browser browser = new Browser()) {
			signIn(browser, other);
			assertThat(browser.html().getByXPath("//h2[normalize-space()='Recent sign-in activity']"
					+ "/following-sibling::ul[1]/li")).hasSize(1);
			assertThat(browser.text()).doesNotContain("Wrong password or code");
		}
	}

	@Test
	void listsAndEndsSessionsAndRevokesApps() throws Exception {
		Setup s = setup("sessions");
		var rp = OidcTestClients.client(this.api, s.tenant(), s.app());
		try (Browser browser = new Browser(); Browser phone = new Browser()) {
			phone.open(rp.authorizationRequest("openid offline_access").toString());
			phone.fill("Email address", s.email()).fill("Password", PASSWORD).click("Sign in");
			var tokens = rp.exchange(AuthenticationResponseParser.parse(phone.url()));
			signIn(browser, s);
			assertThat(browser.html().getByXPath("//button[normalize-space()='Sign out this session']")).hasSize(2);
			assertThat(browser.text()).contains("Shop");

			// End the phone's session: it is the one not marked as this device.
			var forms = browser.html().getForms().stream()
				.filter(f -> f.getActionAttribute().endsWith("/account/sessions/end"))
				.toList();
			var phoneForm = forms.stream().filter(f -> !f.getParentNode().asNormalizedText().contains("(this device)"))
				.findFirst().orElseThrow();
			org.htmlunit.html.HtmlButton end = phoneForm.getFirstByXPath(".//button");
			end.click();
			phone.open(rp.authorizationRequest("openid").toString());
			assertThat(phone.showsSignIn(s.tenant())).as(phone.url().toString()).isTrue();

			browser.open(this.api.base() + "/t/" + s.tenant() + "/account");
			browser.click("Revoke access of Shop");
			assertThat(browser.text()).contains("no longer keeps you signed in");
			assertThat(rp.refresh(tokens)).isFalse();
		}
	}

	@Test
	void exportsOwnDataAndDeletesTheAccountCompletely() throws Exception {
		Setup s = setup("delete");
		String group = this.api.post("/api/v1/tenants/" + s.tenant() + "/groups", Map.of("displayName", "VIP")).json()
			.get("id").asString();
		this.api.post("/api/v1/tenants/" + s.tenant() + "/groups/" + group + "/members", Map.of("userId", s.userId()));
		var rp = OidcTestClients.client(this.api, s.tenant(), s.app());
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid offline_access").toString());
			browser.fill("Email address", s.email()).fill("Password", PASSWORD).click("Sign in");
			rp.exchange(AuthenticationResponseParser.parse(browser.url()));
			browser.open(this.api.base() + "/t/" + s.tenant() + "/account");

			browser.follow("Download your data");
			String export = browser.text();
			assertThat(export).contains(s.email()).contains("VIP").contains("Shop").doesNotContain("argon2");
			assertThat(export).contains("\"signIns\"").contains("\"outcome\" : \"success\"");

			browser.open(this.api.base() + "/t/" + s.tenant() + "/account");
			browser.fill("Password to confirm", "wrong").click("Delete my account");
			assertThat(browser.text()).contains("was not deleted");
			assertThat(this.api.get("/api/v1/tenants/" + s.tenant() + "/users/" + s.userId()).status()).isEqualTo(200);

			browser.fill("Password to confirm", PASSWORD).click("Delete my account");
			assertThat(browser.text()).contains("have been deleted").doesNotContain("Exception");
		}
		assertThat(this.api.get("/api/v1/tenants/" + s.tenant() + "/users/" + s.userId()).status()).isEqualTo(404);
		for (String[] table : new String[][] { { "account", "id" }, { "sso_session", "account_id" },
				{ "oauth2_authorization", "principal_name" }, { "group_member", "account_id" },
				{ "account_attribute", "account_id" }, { "role_assignment", "principal_id" } }) {
			assertThat(this.jdbc.sql("select count(*) from " + table[0] + " where " + table[1] + " = ?").param(s.userId())
				.query(Integer.class).single()).as(table[0]).isZero();
		}
		assertThat(this.api.get("/api/v1/tenants/" + s.tenant() + "/auditLogs?action=user.delete&targetId=" + s.userId())
			.json().get("items")).hasSize(1);
		assertThat(MailServer.mailsTo(s.email())).anyMatch(mail -> mail.contains("was deleted"));
	}

}
