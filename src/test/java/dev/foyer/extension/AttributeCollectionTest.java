package dev.foyer.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;

import dev.foyer.signin.OidcTestClients;
import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The attribute collection events. Start: the business's API prefills the attribute page or blocks it. Submit: it
 * sees what a person entered at sign-up (never the password) and lets sign-up go on, changes values, shows
 * validation errors on the page, or blocks it.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class AttributeCollectionTest extends FoyerIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PASSWORD = "a long sign-up passphrase";

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final AtomicReference<String> action = new AtomicReference<>();

	private final AtomicReference<String> startAction = new AtomicReference<>();

	private StandIn standIn;

	private String tenant;

	private JsonNode app;

	@BeforeEach
	void standIn() {
		this.standIn = new StandIn().on("/submit", request -> {
			this.calls.add(request.body());
			return StandIn.Reply.json("{\"data\": {\"@odata.type\": \"microsoft.graph.onAttributeCollectionSubmitResponseData\","
					+ " \"actions\": [" + this.action.get() + "]}}");
		}).on("/start", request -> {
			ExtensionContract.assertValidRequest(request.body());
			return StandIn.Reply.json("{\"data\": {\"@odata.type\": \"microsoft.graph.onAttributeCollectionStartResponseData\","
					+ " \"actions\": [" + this.startAction.get() + "]}}");
		});
		this.tenant = this.api.newTenant("submit");
		this.app = this.api.post("/api/v1/tenants/" + this.tenant + "/applications", Map.of("displayName", "Shop", "type", "web",
				"redirectUris", List.of(this.api.base() + "/callback"))).json();
		Api.Response extension = this.api.post("/api/v1/tenants/" + this.tenant + "/identity/customAuthenticationExtensions", Map.of(
				"@odata.type", "#microsoft.graph.onAttributeCollectionSubmitCustomExtension", "displayName", "Check sign-ups",
				"endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint",
						"targetUrl", this.standIn.url("/submit")),
				"authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication",
						"resourceId", "api://signups.example.com")));
		assertThat(extension.status()).as(extension.text()).isEqualTo(201);
		Api.Response listener = this.api.post("/api/v1/tenants/" + this.tenant + "/identity/authenticationEventListeners", Map.of(
				"@odata.type", "#microsoft.graph.onAttributeCollectionSubmitListener",
				"conditions", Map.of("applications", Map.of("includeApplications",
						List.of(Map.of("appId", this.app.get("clientId").asString())))),
				"handler", Map.of("@odata.type", "#microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler",
						"customExtension", Map.of("id", extension.json().get("id").asString()))));
		assertThat(listener.status()).as(listener.text()).isEqualTo(201);
	}

	@AfterEach
	void stop() {
		this.standIn.close();
	}

	/** Opens sign-up from the app and proves the address; leaves the browser on the details page. */
	private void toDetails(Browser browser, String email) throws Exception {
		browser.open(OidcTestClients.client(this.api, this.tenant, this.app).authorizationRequest("openid").toString());
		browser.follow("Create one").fill("Email address", email).click("Send code");
		browser.fill("Verification code", MailServer.latestCode(email)).click("Verify");
	}

	private void submit(Browser browser) {
		browser.fill("New password", PASSWORD).fill("Given name", "Ada").fill("Surname", "Lovelace").click("Create account");
	}

	private JsonNode users(String email) {
		return this.api.get("/api/v1/tenants/" + this.tenant + "/users?email=" + email).json().get("items");
	}

	@Test
	void validationErrorsAndBlockPagesStopSignUpAndModifiedValuesAreStored() throws Exception {
		String email = "submit." + System.nanoTime() + "@example.com";
		try (Browser browser = new Browser()) {
			toDetails(browser, email);
			this.action.set("""
					{"@odata.type": "microsoft.graph.attributeCollectionSubmit.showValidationError",
					 "message": "Please fix the errors below.", "attributeErrors": {"givenName": "Use the name on your loyalty card"}}""");
			submit(browser);
			assertThat(browser.text()).contains("Please fix the errors below.").contains("Use the name on your loyalty card");
			assertThat(users(email)).isEmpty();

			ExtensionContract.assertValidRequest(this.calls.get(0));
			JsonNode request = JSON.readTree(this.calls.get(0));
			assertThat(request.get("type").asString()).isEqualTo("microsoft.graph.authenticationEvent.attributeCollectionSubmit");
			JsonNode info = request.get("data").get("userSignUpInfo");
			assertThat(info.get("attributes").get("givenName").get("value").asString()).isEqualTo("Ada");
			assertThat(info.get("attributes").get("givenName").get("@odata.type").asString())
				.isEqualTo("microsoft.graph.stringDirectoryAttributeValue");
			assertThat(info.get("attributes").get("givenName").get("attributeType").asString()).isEqualTo("builtIn");
			assertThat(info.get("identities").get(0).get("issuerAssignedId").asString()).isEqualTo(email);
			assertThat(this.calls.get(0)).doesNotContain(PASSWORD);

			this.action.set("""
					{"@odata.type": "microsoft.graph.attributeCollectionSubmit.showBlockPage",
					 "message": "Sign-ups from this region open next month."}""");
			submit(browser);
			assertThat(browser.text()).contains("Sign-ups from this region open next month.");
			assertThat(users(email)).isEmpty();
		}

		String other = "modified." + System.nanoTime() + "@example.com";
		try (Browser browser = new Browser()) {
			toDetails(browser, other);
			this.action.set("""
					{"@odata.type": "microsoft.graph.attributeCollectionSubmit.modifyAttributeValues",
					 "attributes": {"surname": "Lovelace-Byron"}}""");
			submit(browser);
			assertThat(AuthenticationResponseParser.parse(browser.url()).indicatesSuccess()).isTrue();
		}
		assertThat(users(other).get(0).get("surname").asString()).isEqualTo("Lovelace-Byron");
		assertThat(users(other).get(0).get("givenName").asString()).isEqualTo("Ada");
	}

	@Test
	void aStartExtensionPrefillsTheAttributePageOrBlocksIt() throws Exception {
		Api.Response extension = this.api.post("/api/v1/tenants/" + this.tenant + "/identity/customAuthenticationExtensions", Map.of(
				"@odata.type", "#microsoft.graph.onAttributeCollectionStartCustomExtension", "displayName", "Prefill",
				"endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint",
						"targetUrl", this.standIn.url("/start")),
				"authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication",
						"resourceId", "api://signups.example.com")));
		assertThat(extension.status()).as(extension.text()).isEqualTo(201);
		assertThat(this.api.post("/api/v1/tenants/" + this.tenant + "/identity/authenticationEventListeners", Map.of(
				"@odata.type", "#microsoft.graph.onAttributeCollectionStartListener",
				"handler", Map.of("@odata.type", "#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler",
						"customExtension", Map.of("id", extension.json().get("id").asString())))).status()).isEqualTo(201);

		this.startAction.set("""
				{"@odata.type": "microsoft.graph.attributeCollectionStart.setPrefillValues",
				 "inputs": {"givenName": "Prefilled", "surname": "Person"}}""");
		this.action.set("{\"@odata.type\": \"microsoft.graph.attributeCollectionSubmit.continueWithDefaultBehavior\"}");
		String email = "prefill." + System.nanoTime() + "@example.com";
		try (Browser browser = new Browser()) {
			toDetails(browser, email);
			assertThat(((org.htmlunit.html.HtmlInput) browser.html().getElementById("attr-givenName")).getValue())
				.isEqualTo("Prefilled");
			browser.fill("New password", PASSWORD).click("Create account");
			assertThat(AuthenticationResponseParser.parse(browser.url()).indicatesSuccess()).isTrue();
		}
		assertThat(users(email).get(0).get("surname").asString()).isEqualTo("Person");

		this.startAction.set("""
				{"@odata.type": "microsoft.graph.attributeCollectionStart.showBlockPage", "message": "Come back tomorrow."}""");
		String blocked = "blocked." + System.nanoTime() + "@example.com";
		try (Browser browser = new Browser()) {
			toDetails(browser, blocked);
			assertThat(browser.text()).contains("Come back tomorrow.").doesNotContain("Create account");
		}
		assertThat(users(blocked)).isEmpty();
	}

}
