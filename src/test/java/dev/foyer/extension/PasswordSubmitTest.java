package dev.foyer.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;

import dev.foyer.signin.OidcTestClients;
import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Just-in-time password migration with Entra's password submit event: a flagged account whose password does not
 * match asks the old system (the stand-in), which decrypts the password from the JWE with its private key and answers
 * MigratePassword, UpdatePassword, Retry or Block, echoing the nonce.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class PasswordSubmitTest extends FoyerIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The old system's passwords, and what it answers for them. */
	private static final String LEGACY = "old-system passphrase 42";

	private static final String LEGACY_WEAK = "password1";

	private static final String LEGACY_EXPIRED = "expired passphrase 42";

	private static final String LEGACY_LOCKED = "locked passphrase 42";

	private final List<JsonNode> calls = new CopyOnWriteArrayList<>();

	/** When set, the stand-in answers this nonce instead of the one it decrypted. */
	private final AtomicReference<String> forgedNonce = new AtomicReference<>();

	private KeyPair keys;

	private StandIn standIn;

	private String tenant;

	private JsonNode app;

	@BeforeEach
	void standIn() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		this.keys = generator.generateKeyPair();
		this.standIn = new StandIn().on("/migrate", request -> {
			JsonNode body = JSON.readTree(request.body());
			this.calls.add(body);
			try {
				JWEObject jwe = JWEObject.parse(body.get("data").get("encryptedPasswordContext").asString());
				jwe.decrypt(new RSADecrypter((RSAPrivateKey) this.keys.getPrivate()));
				JWTClaimsSet inner = PlainJWT.parse(jwe.getPayload().toString()).getJWTClaimsSet();
				String password = inner.getStringClaim("user-password");
				String nonce = this.forgedNonce.get() != null ? this.forgedNonce.get() : inner.getStringClaim("nonce");
				String action = switch (password) {
					case LEGACY, LEGACY_WEAK -> "{\"@odata.type\": \"microsoft.graph.passwordsubmit.MigratePassword\"}";
					case LEGACY_EXPIRED -> "{\"@odata.type\": \"microsoft.graph.passwordsubmit.UpdatePassword\"}";
					case LEGACY_LOCKED -> "{\"@odata.type\": \"microsoft.graph.passwordsubmit.Block\", \"title\": \"Locked\","
							+ " \"message\": \"Your old account is locked. Call the help desk.\"}";
					default -> "{\"@odata.type\": \"microsoft.graph.passwordsubmit.Retry\"}";
				};
				return StandIn.Reply.json("{\"data\": {\"@odata.type\": \"microsoft.graph.onPasswordSubmitResponseData\","
						+ " \"nonce\": \"" + nonce + "\", \"actions\": [" + action + "]}}");
			}
			catch (Exception ex) {
				return new StandIn.Reply(400, "application/json", "{}", 0);
			}
		});
		this.tenant = this.api.newTenant("jit");
		this.app = this.api.post("/api/v1/tenants/" + this.tenant + "/applications", Map.of("displayName", "Shop", "type", "web",
				"redirectUris", List.of(this.api.base() + "/callback"))).json();
	}

	@AfterEach
	void stop() {
		this.standIn.close();
	}

	private String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private Map<String, Object> extension(String encryptionKey) {
		Map<String, Object> body = new java.util.HashMap<>(Map.of("@odata.type", "#microsoft.graph.onPasswordSubmitCustomExtension",
				"displayName", "Validate password",
				"endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint",
						"targetUrl", this.standIn.url("/migrate")),
				"authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication",
						"resourceId", "api://legacy.example.com"),
				"clientConfiguration", Map.of("timeoutInMilliseconds", 2000, "maximumRetries", 1)));
		if (encryptionKey != null) {
			body.put("encryptionKey", encryptionKey);
		}
		return body;
	}

	private String base() {
		return "/api/v1/tenants/" + this.tenant;
	}

	/** The extension and its listener; the accounts to migrate carry {@code toBeMigrated: true}. */
	private String attach() {
		assertThat(this.api.post(base() + "/attributes", Map.of("name", "toBeMigrated", "dataType", "boolean")).status())
			.isEqualTo(201);
		assertThat(this.api.post(base() + "/attributes", Map.of("name", "nickname", "dataType", "string")).status())
			.isEqualTo(201);
		String extensions = base() + "/identity/customAuthenticationExtensions";
		// The key is required, public, RSA and long enough; it belongs to password submit extensions only.
		assertThat(this.api.post(extensions, extension(null)).status()).isEqualTo(400);
		assertThat(this.api.post(extensions, extension(pem("PRIVATE KEY", this.keys.getPrivate().getEncoded()))).status())
			.isEqualTo(400);
		assertThat(this.api.post(extensions, extension("not a key")).status()).isEqualTo(400);
		String publicPem = pem("PUBLIC KEY", this.keys.getPublic().getEncoded());
		Map<String, Object> otp = new java.util.HashMap<>(extension(publicPem));
		otp.put("@odata.type", "#microsoft.graph.onOtpSendCustomExtension");
		assertThat(this.api.post(extensions, otp).status()).isEqualTo(400);
		Api.Response created = this.api.post(extensions, extension(publicPem));
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		assertThat(created.json().get("encryptionKey").asString()).contains("BEGIN PUBLIC KEY");
		String id = created.json().get("id").asString();

		String listeners = base() + "/identity/authenticationEventListeners";
		for (String flag : new String[] { null, "noSuchAttribute", "nickname" }) {
			Map<String, Object> handler = new java.util.HashMap<>(Map.of("@odata.type",
					"#microsoft.graph.onPasswordMigrationCustomExtensionHandler", "customExtension", Map.of("id", id)));
			if (flag != null) {
				handler.put("migrationPropertyId", flag);
			}
			assertThat(this.api.post(listeners, Map.of("@odata.type", "#microsoft.graph.onPasswordSubmitListener",
					"handler", handler)).status()).as(String.valueOf(flag)).isEqualTo(400);
		}
		Api.Response listener = this.api.post(listeners, Map.of("@odata.type", "#microsoft.graph.onPasswordSubmitListener",
				"conditions", Map.of("applications", Map.of("includeApplications",
						List.of(Map.of("appId", this.app.get("clientId").asString())))),
				"handler", Map.of("@odata.type", "#microsoft.graph.onPasswordMigrationCustomExtensionHandler",
						"migrationPropertyId", "toBeMigrated", "customExtension", Map.of("id", id))));
		assertThat(listener.status()).as(listener.text()).isEqualTo(201);
		assertThat(listener.json().get("handler").get("migrationPropertyId").asString()).isEqualTo("toBeMigrated");
		return id;
	}

	/** An account imported from the old system: Foyer does not know its password. */
	private String migrating(String email) {
		return this.api.post(base() + "/users", Map.of("email", email, "password", "unknown " + System.nanoTime(),
				"attributes", Map.of("toBeMigrated", true))).json().get("id").asString();
	}

	private Browser signIn(String email, String password) {
		Browser browser = new Browser();
		try {
			var rp = OidcTestClients.client(this.api, this.tenant, this.app);
			browser.open(rp.authorizationRequest("openid").toString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		browser.fill("Email address", email).fill("Password", password).click("Sign in");
		return browser;
	}

	private boolean flagged(String accountId) {
		JsonNode attributes = this.api.get(base() + "/users/" + accountId).json().get("attributes");
		return attributes != null && attributes.has("toBeMigrated") && attributes.get("toBeMigrated").asBoolean();
	}

	@Test
	void theOldSystemVouchesForThePasswordOnceAndFoyerKeepsIt() throws Exception {
		String extensionId = attach();
		String email = "jit." + System.nanoTime() + "@example.com";
		String accountId = migrating(email);

		// A wrong password: the old system says Retry, and the page says what it says for any wrong password.
		try (Browser browser = signIn(email, "not the password")) {
			assertThat(browser.text()).contains("The email address or password is incorrect.");
		}
		assertThat(this.calls).hasSize(1);
		JsonNode request = this.calls.get(0);
		ExtensionContract.assertValidRequest(request.toString());
		// The password never travels in the clear, only inside the JWE.
		assertThat(request.toString()).doesNotContain("not the password");
		assertThat(ExtensionContract.errors(request.toString().replace("encryptedPasswordContext", "password"))).isNotEmpty();
		assertThat(request.get("type").asString()).isEqualTo("microsoft.graph.authenticationEvent.passwordSubmit");
		assertThat(request.get("data").get("authenticationContext").get("user").get("id").asString()).isEqualTo(accountId);
		assertThat(flagged(accountId)).isTrue();

		// The right one: migrated, signed in, the flag cleared.
		try (Browser browser = signIn(email, LEGACY)) {
			assertThat(browser.url().getPath()).isEqualTo("/callback");
		}
		assertThat(this.calls).hasSize(2);
		assertThat(flagged(accountId)).isFalse();
		// From now on Foyer checks the password itself: no call, for a right or a wrong one.
		try (Browser browser = signIn(email, LEGACY)) {
			assertThat(browser.url().getPath()).isEqualTo("/callback");
		}
		try (Browser browser = signIn(email, "another wrong one")) {
			assertThat(browser.text()).contains("The email address or password is incorrect.");
		}
		assertThat(this.calls).hasSize(2);

		// An account that is not flagged never reaches the old system.
		String plain = "plain." + System.nanoTime() + "@example.com";
		this.api.post(base() + "/users", Map.of("email", plain, "password", "a known passphrase"));
		try (Browser browser = signIn(plain, LEGACY)) {
			assertThat(browser.text()).contains("The email address or password is incorrect.");
		}
		assertThat(this.calls).hasSize(2);

		JsonNode records = this.api.get(base() + "/identity/customAuthenticationExtensions/" + extensionId + "/calls").json()
			.get("items");
		assertThat(records).hasSize(2);
		assertThat(records.get(0).get("event").asString()).isEqualTo("passwordSubmit");
		assertThat(records.toString()).doesNotContain(LEGACY);

		// The test call sends a sample password and shows the decision.
		JsonNode test = this.api.post(base() + "/identity/customAuthenticationExtensions/" + extensionId + "/test", Map.of())
			.json();
		assertThat(test.get("succeeded").asBoolean()).as(test.toString()).isTrue();
		assertThat(test.get("answer").get("action").asString()).isEqualTo("Retry");
	}

	@Test
	void updateAndWeakPasswordsMustBeReplacedBlockShowsTheMessageAndAForgedNonceFails() throws Exception {
		attach();
		// UpdatePassword: right, but the person must choose a new one before going on.
		String expired = "expired." + System.nanoTime() + "@example.com";
		String expiredId = migrating(expired);
		try (Browser browser = signIn(expired, LEGACY_EXPIRED)) {
			assertThat(browser.text()).contains("Choose a new password");
			browser.fill("New password", "a brand new passphrase").click("Set password");
			assertThat(browser.url().getPath()).isEqualTo("/callback");
		}
		assertThat(flagged(expiredId)).isFalse();
		try (Browser browser = signIn(expired, "a brand new passphrase")) {
			assertThat(browser.url().getPath()).isEqualTo("/callback");
		}

		// MigratePassword of a password the tenant's policy refuses: it must be replaced too.
		String weak = "weak." + System.nanoTime() + "@example.com";
		migrating(weak);
		try (Browser browser = signIn(weak, LEGACY_WEAK)) {
			assertThat(browser.text()).contains("Choose a new password");
		}

		// Block: the extension's message, and no sign-in.
		String locked = "locked." + System.nanoTime() + "@example.com";
		String lockedId = migrating(locked);
		try (Browser browser = signIn(locked, LEGACY_LOCKED)) {
			assertThat(browser.text()).contains("Your old account is locked. Call the help desk.");
			assertThat(browser.url().getPath()).isNotEqualTo("/callback");
		}
		assertThat(flagged(lockedId)).isTrue();

		// An answer that does not echo the nonce is not believed: an error page with a reference, nothing stored.
		String forged = "forged." + System.nanoTime() + "@example.com";
		String forgedId = migrating(forged);
		this.forgedNonce.set("guessed");
		try (Browser browser = signIn(forged, LEGACY)) {
			assertThat(browser.text()).contains("Sign-in could not be completed just now").contains("Reference");
			assertThat(browser.url().getPath()).isNotEqualTo("/callback");
		}
		assertThat(flagged(forgedId)).isTrue();
		this.forgedNonce.set(null);
		try (Browser browser = signIn(forged, LEGACY)) {
			assertThat(browser.url().getPath()).isEqualTo("/callback");
		}
	}

}
