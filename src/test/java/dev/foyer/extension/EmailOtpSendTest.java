package dev.foyer.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.signin.OidcTestClients;
import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The email OTP send event: the business's API delivers the codes instead of Foyer's mail, with Entra's request;
 * when it fails, Foyer mails the code anyway, so that nobody learns whether an address has an account.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class EmailOtpSendTest extends FoyerIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CONTINUE = """
			{"data": {"@odata.type": "microsoft.graph.OnOtpSendResponseData",
			  "actions": [{"@odata.type": "microsoft.graph.OtpSend.continueWithDefaultBehavior"}]}}""";

	private final List<JsonNode> calls = new CopyOnWriteArrayList<>();

	private final AtomicInteger status = new AtomicInteger(200);

	private StandIn standIn;

	private String tenant;

	private JsonNode app;

	@BeforeEach
	void standIn() {
		this.standIn = new StandIn().on("/otp", request -> {
			this.calls.add(JSON.readTree(request.body()));
			return new StandIn.Reply(this.status.get(), "application/json", CONTINUE, 0);
		});
		this.tenant = this.api.newTenant("otpsend");
		this.app = this.api.post("/api/v1/tenants/" + this.tenant + "/applications", Map.of("displayName", "Shop", "type", "web",
				"redirectUris", List.of(this.api.base() + "/callback"))).json();
	}

	@AfterEach
	void stop() {
		this.standIn.close();
	}

	private Map<String, Object> extension() {
		return Map.of("@odata.type", "#microsoft.graph.onOtpSendCustomExtension", "displayName", "Send codes by SMS",
				"endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint",
						"targetUrl", this.standIn.url("/otp")),
				"authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication",
						"resourceId", "api://otp.example.com"),
				"clientConfiguration", Map.of("maximumRetries", 0));
	}

	private void attach() {
		attach(extension());
	}

	private void attach(Map<String, Object> extension) {
		Api.Response created = this.api.post("/api/v1/tenants/" + this.tenant + "/identity/customAuthenticationExtensions",
				extension);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		assertThat(created.json().get("behaviorOnError").get("@odata.type").asString())
			.isEqualTo("#microsoft.graph.fallbackToMicrosoftProviderOnError");
		Api.Response listener = this.api.post("/api/v1/tenants/" + this.tenant + "/identity/authenticationEventListeners", Map.of(
				"@odata.type", "#microsoft.graph.onEmailOtpSendListener",
				"conditions", Map.of("applications", Map.of("includeApplications",
						List.of(Map.of("appId", this.app.get("clientId").asString())))),
				"handler", Map.of("@odata.type", "#microsoft.graph.onOtpSendCustomExtensionHandler",
						"customExtension", Map.of("id", created.json().get("id").asString()))));
		assertThat(listener.status()).as(listener.text()).isEqualTo(201);
	}

	@Test
	void theExtensionDeliversTheResetCodeAndFoyersMailStepsInWhenItFails() throws Exception {
		attach();
		String email = account("otp");
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		try (Browser browser = new Browser()) {
			askForAResetCode(browser, rp, email);
			deliveriesSent();
			assertThat(this.calls).hasSize(1);
			ExtensionContract.assertValidRequest(this.calls.get(0).toString());
			// The schema is not a formality: without the code, the same request fails it.
			assertThat(ExtensionContract.errors(this.calls.get(0).toString().replace("\"otpContext\"", "\"otherContext\"")))
				.isNotEmpty();
			JsonNode data = this.calls.get(0).get("data");
			assertThat(this.calls.get(0).get("type").asString()).isEqualTo("microsoft.graph.authenticationEvent.emailOtpSend");
			assertThat(data.get("@odata.type").asString()).isEqualTo("microsoft.graph.onOtpSendCalloutData");
			assertThat(data.get("otpContext").get("identifier").asString()).isEqualTo(email);
			String code = data.get("otpContext").get("onetimecode").asString();
			assertThat(code).matches("\\d{6}");
			assertThat(data.get("authenticationContext").get("clientServicePrincipal").get("appId").asString())
				.isEqualTo(this.app.get("clientId").asString());
			// The extension delivered it: no mail from Foyer.
			assertThat(MailServer.mailsTo(email)).isEmpty();
			browser.fill("Verification code", code).click("Verify");
			assertThat(browser.text()).contains("Set password");
		}

		this.status.set(500);
		try (Browser browser = new Browser()) {
			askForAResetCode(browser, rp, email);
			deliveriesSent();
			assertThat(this.calls).hasSize(2);
			browser.fill("Verification code", MailServer.latestCode(email)).click("Verify");
			assertThat(browser.text()).contains("Set password");
		}
		JsonNode id = this.api.get("/api/v1/tenants/" + this.tenant + "/identity/customAuthenticationExtensions").json()
			.get("items").get(0);
		JsonNode records = this.api.get("/api/v1/tenants/" + this.tenant + "/identity/customAuthenticationExtensions/"
				+ id.get("id").asString() + "/calls").json().get("items");
		assertThat(records.get(0).get("event").asString()).isEqualTo("emailOtpSend");
		assertThat(records.get(0).get("succeeded").asBoolean()).isFalse();
		assertThat(records.get(1).get("succeeded").asBoolean()).isTrue();
		assertThat(records.toString()).doesNotContain(email);

		// The admin's test call sends a sample code to the sample address, and shows the answer.
		this.status.set(200);
		JsonNode test = this.api.post("/api/v1/tenants/" + this.tenant + "/identity/customAuthenticationExtensions/"
				+ id.get("id").asString() + "/test", Map.of()).json();
		assertThat(test.get("succeeded").asBoolean()).as(test.toString()).isTrue();
		assertThat(test.get("answer").get("action").asString()).isEqualTo("continueWithDefaultBehavior");
		JsonNode sample = this.calls.get(this.calls.size() - 1);
		ExtensionContract.assertValidRequest(sample.toString());
		assertThat(sample.get("data").get("otpContext").get("identifier").asString()).isEqualTo("test.user@example.com");
	}

	@Test
	void theAnswerDoesNotWaitForTheDeliveryWhoseTimingWouldTellThatTheAccountExists() throws Exception {
		// The extension holds its answer until the person's page has come back. Had Foyer waited for it, it would have
		// given up after its 10 s timeout and mailed the code instead, and only then answered.
		CountDownLatch pageShown = new CountDownLatch(1);
		AtomicBoolean heldUntilThePageCame = new AtomicBoolean();
		this.standIn.close();
		this.standIn = new StandIn().on("/otp", request -> {
			try {
				heldUntilThePageCame.set(pageShown.await(20, TimeUnit.SECONDS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new StandIn.Reply(200, "application/json", CONTINUE, 0);
		});
		Map<String, Object> patient = new java.util.HashMap<>(extension());
		patient.put("clientConfiguration", Map.of("timeoutInMilliseconds", 10_000, "maximumRetries", 0));
		attach(patient);
		String email = account("held");
		try (Browser browser = new Browser()) {
			askForAResetCode(browser, OidcTestClients.client(this.api, this.tenant, this.app), email);
			assertThat(browser.text()).contains("Verification code");
			pageShown.countDown();
		}
		deliveriesSent();
		assertThat(heldUntilThePageCame).isTrue();
		assertThat(MailServer.mailsTo(email)).as("the extension delivered the code").isEmpty();
	}

	private String account(String name) {
		String email = name + "." + System.nanoTime() + "@example.com";
		this.api.post("/api/v1/tenants/" + this.tenant + "/users", Map.of("email", email, "password", "an old passphrase"));
		return email;
	}

	private static void askForAResetCode(Browser browser, OidcTestClients.Client rp, String email) {
		browser.open(rp.authorizationRequest("openid").toString());
		browser.follow("Forgot password?").fill("Email address", email).click("Send code");
	}

	@Test
	void anOtpSendExtensionAlwaysFallsBackAndTakesNoClaims() {
		String path = "/api/v1/tenants/" + this.tenant + "/identity/customAuthenticationExtensions";
		Map<String, Object> noFallback = new java.util.HashMap<>(extension());
		noFallback.put("behaviorOnError", null);
		assertThat(this.api.post(path, noFallback).status()).isEqualTo(400);
		Map<String, Object> claims = new java.util.HashMap<>(extension());
		claims.put("claimsForTokenConfiguration", List.of(Map.of("claimIdInApiResponse", "x")));
		assertThat(this.api.post(path, claims).status()).isEqualTo(400);
		String otp = this.api.post(path, extension()).json().get("id").asString();
		// A token issuance listener cannot call an OTP send extension.
		assertThat(this.api.post("/api/v1/tenants/" + this.tenant + "/identity/authenticationEventListeners", Map.of(
				"@odata.type", "#microsoft.graph.onTokenIssuanceStartListener",
				"handler", Map.of("@odata.type", "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
						"customExtension", Map.of("id", otp)))).status()).isEqualTo(400);
	}

}
