package dev.foyer.userflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlRadioButtonInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;

import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.TestFoyer;
import dev.foyer.signin.OidcTestClients;
import tools.jackson.databind.JsonNode;

/** A tenant admin shapes sign-up without code; customers see exactly that, and the app receives it in its tokens. */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class UserFlowTest extends FoyerIntegrationTest {

	private String tenant;

	private JsonNode app;

	private String flows;

	@BeforeEach
	void tenant() {
		this.tenant = this.api.newTenant("flows");
		this.flows = "/api/v1/tenants/" + this.tenant + "/userFlows";
		this.app = this.api.post("/api/v1/tenants/" + this.tenant + "/applications", Map.of("displayName", "Shop", "type", "web",
				"redirectUris", List.of(this.api.base() + "/callback"))).json();
		String attributes = "/api/v1/tenants/" + this.tenant + "/attributes";
		this.api.post(attributes, Map.of("name", "loyaltyTier", "dataType", "string", "inputControl", "radioSingleSelect",
				"allowedValues", List.of("silver", "gold"), "label", "Loyalty tier"));
		this.api.post(attributes, Map.of("name", "terms", "dataType", "boolean",
				"label", "I accept the [terms of use](https://shop.example.com/terms)"));
		this.api.post(attributes, Map.of("name", "nickname", "dataType", "string", "label", "<script>alert(1)</script>Nickname"));
	}

	private String createFlow(Map<String, Object> body) {
		Api.Response created = this.api.post(this.flows, body);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return created.json().get("id").asString();
	}

	private void link(String flowId) {
		assertThat(this.api.patch("/api/v1/tenants/" + this.tenant + "/applications/" + this.app.get("id").asString(),
				Map.of("userFlowId", flowId)).status()).isEqualTo(200);
	}

	@Test
	void flowsAreValidated() {
		for (Map<String, Object> bad : List.of(
				Map.of("displayName", "X", "signInMethods", List.of("carrierPigeon")),
				Map.of("displayName", "X", "signInMethods", List.of()),
				Map.of("displayName", "X", "attributes", List.of(Map.of("name", "shoeSize"))),
				Map.of("displayName", "X", "attributes", List.of(Map.of("name", "city"), Map.of("name", "city"))),
				Map.of("displayName", "X", "texts", Map.of("english", Map.of("SignIn_Title", "Hi"))),
				Map.of("displayName", "X", "texts", Map.of("en", Map.of("Sign In", "Hi"))))) {
			assertThat(this.api.post(this.flows, bad).status()).as(bad.toString()).isEqualTo(400);
		}
		assertThat(this.api.get(this.flows).json().get("items")).isEmpty();
		assertThat(this.api.patch("/api/v1/tenants/" + this.tenant + "/applications/" + this.app.get("id").asString(),
				Map.of("userFlowId", "no-such-flow")).status()).isEqualTo(400);
	}

	@Test
	void signUpCollectsTheFlowsAttributesAndTheAppReceivesThem() throws Exception {
		String flowId = createFlow(Map.of("displayName", "Shop sign-up",
				"attributes", List.of(Map.of("name", "givenName", "required", true), Map.of("name", "city"),
						Map.of("name", "loyaltyTier", "required", true), Map.of("name", "nickname"),
						Map.of("name", "terms", "required", true)),
				"texts", Map.of("en", Map.of("SignUp_Title", "Join the <b>Shop</b> club", "Attribute_City", "Home town"))));
		link(flowId);
		this.api.patch("/api/v1/tenants/" + this.tenant + "/applications/" + this.app.get("id").asString(),
				Map.of("claimsMapping", List.of(Map.of("source", "loyaltyTier", "claim", "tier"),
						Map.of("source", "terms", "claim", "accepted_terms"))));
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		String email = "joiner." + System.nanoTime() + "@example.com";
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			browser.follow("Create one");
			assertThat(browser.text()).contains("Join the <b>Shop</b> club");
			assertThat(browser.html().getElementsByTagName("b")).isEmpty();
			browser.fill("Email address", email).click("Send code");
			browser.fill("Verification code", MailServer.latestCode(email)).click("Verify");

			// Tenant text is escaped: the script label is inert text.
			assertThat(browser.html().getElementsByTagName("script")).isEmpty();
			assertThat(browser.text()).contains("<script>alert(1)</script>Nickname").contains("Home town");
			HtmlAnchor terms = browser.html().getFirstByXPath("//a[normalize-space()='terms of use']");
			assertThat(terms.getHrefAttribute()).isEqualTo("https://shop.example.com/terms");

			// Required checkbox left unticked: a message next to it, and no account.
			browser.fill("New password", "a long and lovely passphrase").fill("Given name", "Jo").fill("Home town", "Lyon");
			((HtmlRadioButtonInput) browser.html().getFirstByXPath("//input[@type='radio' and @value='gold']")).setChecked(true);
			browser.click("Create account");
			assertThat(browser.text()).contains("is required");
			assertThat(this.api.get("/api/v1/tenants/" + this.tenant + "/users").json().get("items")).isEmpty();

			// A script in free text is refused next to the field.
			browser.fill("New password", "a long and lovely passphrase").fill("Given name", "Jo").fill("Home town", "Lyon");
			browser.fill("<script>alert(1)</script>Nickname", "<img src=x onerror=alert(1)>");
			((HtmlRadioButtonInput) browser.html().getFirstByXPath("//input[@type='radio' and @value='gold']")).setChecked(true);
			((HtmlCheckBoxInput) browser.html().getFirstByXPath("//input[@type='checkbox']")).setChecked(true);
			browser.click("Create account");
			assertThat(browser.text()).contains("must not contain markup");
			assertThat(this.api.get("/api/v1/tenants/" + this.tenant + "/users").json().get("items")).isEmpty();

			browser.fill("New password", "a long and lovely passphrase").fill("Given name", "Jo").fill("Home town", "Lyon");
			browser.fill("<script>alert(1)</script>Nickname", "JoJo");
			((HtmlRadioButtonInput) browser.html().getFirstByXPath("//input[@type='radio' and @value='gold']")).setChecked(true);
			((HtmlCheckBoxInput) browser.html().getFirstByXPath("//input[@type='checkbox']")).setChecked(true);
			browser.click("Create account");
			var response = AuthenticationResponseParser.parse(browser.url());
			assertThat(response.indicatesSuccess()).as(browser.text()).isTrue();
			JWTClaimsSet id = rp.exchangeForIdClaims(response);
			assertThat(id.getStringClaim("tier")).isEqualTo("gold");
			assertThat(id.getBooleanClaim("accepted_terms")).isTrue();
		}
		JsonNode user = this.api.get("/api/v1/tenants/" + this.tenant + "/users?search=" + email).json().get("items").get(0);
		assertThat(user.get("city").asString()).isEqualTo("Lyon");
		assertThat(user.get("givenName").asString()).isEqualTo("Jo");
		assertThat(user.get("attributes").get("nickname").asString()).isEqualTo("JoJo");
		assertThat(user.get("emailVerified").asBoolean()).isTrue();
	}

	@Test
	void promptCreateOpensTheSignUpPage() throws Exception {
		// OpenID Connect Prompt Create 1.0, as Entra External ID and Keycloak take it.
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		String email = "created." + System.nanoTime() + "@example.com";
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid", "prompt", "create").toString());
			assertThat(browser.text()).contains("Create your account");
			// The way back to sign-in stays open: the request's prompt=create does not send the person round again.
			browser.follow("Sign in");
			assertThat(browser.showsSignIn(this.tenant)).as(browser.text()).isTrue();
			browser.follow("Create one").fill("Email address", email).click("Send code");
			browser.fill("Verification code", MailServer.latestCode(email)).click("Verify");
			browser.fill("New password", "a long and lovely passphrase").fill("Given name", "Cy").fill("Surname", "Ted")
				.click("Create account");
			var response = com.nimbusds.openid.connect.sdk.AuthenticationResponseParser.parse(browser.url());
			assertThat(response.indicatesSuccess()).as(browser.url().toString()).isTrue();
		}
		var discovery = this.api.get("/t/" + this.tenant + "/.well-known/openid-configuration", null).json();
		assertThat(discovery.get("prompt_values_supported").toString()).contains("\"create\"");
	}

	@Test
	void closedSignUpOffersNoWayToSignUp() throws Exception {
		link(createFlow(Map.of("displayName", "Invitation only", "selfServiceSignUp", false,
				"texts", Map.of("en", Map.of("SignIn_Title", "Members only")))));
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		try (Browser browser = new Browser()) {
			// prompt=create where sign-up is closed: the sign-in page, as without it.
			browser.open(rp.authorizationRequest("openid", "prompt", "create").toString());
			assertThat(browser.text()).contains("Members only").doesNotContain("Create one");
			browser.open(rp.authorizationRequest("openid").toString());
			assertThat(browser.text()).contains("Members only").doesNotContain("Create one");
			String flow = browser.html().getElementsByName("flow").get(0).getAttribute("value");
			browser.open(this.api.base() + "/t/" + this.tenant + "/signup?flow=" + flow);
			assertThat(browser.status()).isEqualTo(403);
			assertThat(browser.text()).contains("Sign-up is not open");
		}
	}


	@Test
	void flowKindsTakeOnlyTheirOwnSettings() {
		for (Map<String, ?> bad : List.<Map<String, ?>>of(
				Map.of("kind", "checkout", "displayName", "X"),
				Map.of("kind", "passwordReset", "displayName", "X", "signInMethods", List.of("emailPassword")),
				Map.of("kind", "passwordReset", "displayName", "X", "editableAttributes", List.of("city")),
				Map.of("kind", "profileEdit", "displayName", "X", "enabled", false),
				Map.of("kind", "profileEdit", "displayName", "X", "editableAttributes", List.of("shoeSize")),
				Map.of("displayName", "X", "editableAttributes", List.of("city")))) {
			assertThat(this.api.post(this.flows, bad).status()).as(bad.toString()).isEqualTo(400);
		}
		assertThat(this.api.get(this.flows).json().get("items")).isEmpty();
		String reset = createFlow(Map.of("kind", "passwordReset", "displayName", "Reset", "isDefault", true));
		JsonNode created = this.api.get(this.flows + "/" + reset).json();
		assertThat(created.get("kind").asString()).isEqualTo("passwordReset");
		assertThat(created.get("enabled").asBoolean()).isTrue();
		// The kind stays, and an app links only to a sign-up and sign-in flow.
		assertThat(this.api.patch(this.flows + "/" + reset, Map.of("kind", "profileEdit")).status()).isEqualTo(400);
		assertThat(this.api.patch("/api/v1/tenants/" + this.tenant + "/applications/" + this.app.get("id").asString(),
				Map.of("userFlowId", reset)).status()).isEqualTo(400);
		// A default of one kind leaves the default of another kind alone.
		String signUp = createFlow(Map.of("displayName", "Sign-up", "isDefault", true));
		createFlow(Map.of("kind", "passwordReset", "displayName", "Reset 2", "isDefault", true));
		assertThat(this.api.get(this.flows + "/" + signUp).json().get("isDefault").asBoolean()).isTrue();
		assertThat(this.api.get(this.flows + "/" + reset).json().get("isDefault").asBoolean()).isFalse();
	}

	@Test
	void aClosedPasswordResetFlowOffersNoResetAndRegionalTextsWin() throws Exception {
		String reset = createFlow(Map.of("kind", "passwordReset", "displayName", "No reset", "isDefault", true, "enabled", false));
		link(createFlow(Map.of("displayName", "Shop", "texts", Map.of("fr", Map.of("SignIn_Title", "Bienvenue chez Shop")))));
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			assertThat(browser.text()).contains("Sign in").doesNotContain("Forgot password?");
			browser.open(this.api.base() + "/t/" + this.tenant + "/reset");
			assertThat(browser.status()).isEqualTo(404);
			assertThat(browser.text()).contains("Password reset is not offered here");
		}
		assertThat(this.api.patch(this.flows + "/" + reset, Map.of("enabled", true, "texts",
				Map.of("fr-CA", Map.of("PasswordReset_Title", "Réinitialisez votre mot de passe, Québec"),
						"fr", Map.of("PasswordReset_Title", "Réinitialisez votre mot de passe, France")))).status()).isEqualTo(200);
		try (Browser browser = new Browser()) {
			// fr-CA: the flow's regional text where it has one, else its French text, else Foyer's French.
			browser.open(rp.authorizationRequest("openid", "ui_locales", "fr-CA").toString());
			assertThat(browser.text()).contains("Bienvenue chez Shop");
			browser.follow("Mot de passe oublié ?");
			assertThat(browser.status()).isEqualTo(200);
			assertThat(browser.text()).contains("Réinitialisez votre mot de passe, Québec").contains("Adresse e-mail");
		}
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid", "ui_locales", "fr-BE").toString());
			browser.follow("Mot de passe oublié ?");
			assertThat(browser.text()).contains("Réinitialisez votre mot de passe, France");
		}
	}

}
