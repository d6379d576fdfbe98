package dev.foyer.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.sun.net.httpserver.HttpServer;

import dev.foyer.signin.OidcTestClients;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;
import example.ClaimsExtension;
import tools.jackson.databind.JsonNode;

/** The sample in examples/claims-extension, run against Foyer: it trusts only the tenant's token for its audience. */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class SampleExtensionTest extends FoyerIntegrationTest {

	private static final String AUDIENCE = "api://loyalty.example.com";

	@Test
	void theSampleValidatesFoyersTokenAndItsClaimsReachTheIdToken() throws Exception {
		String tenant = this.api.newTenant("sample");
		JsonNode app = this.api.post("/api/v1/tenants/" + tenant + "/applications", Map.of("displayName", "Shop", "type", "web",
				"redirectUris", List.of(this.api.base() + "/callback"))).json();
		String email = "sample." + System.nanoTime() + "@example.com";
		this.api.post("/api/v1/tenants/" + tenant + "/users", Map.of("email", email, "password", "sample passphrase"));
		HttpServer sample = ClaimsExtension.start(0, this.api.issuer(tenant), AUDIENCE);
		try {
			String url = "http://127.0.0.1:" + sample.getAddress().getPort() + "/claims";
			String extension = register(tenant, url, AUDIENCE);
			this.api.post("/api/v1/tenants/" + tenant + "/identity/authenticationEventListeners", Map.of(
					"@odata.type", "#microsoft.graph.onTokenIssuanceStartListener",
					"handler", Map.of("@odata.type", "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
							"customExtension", Map.of("id", extension))));
			var rp = OidcTestClients.client(this.api, tenant, app);
			try (Browser browser = new Browser()) {
				browser.open(rp.authorizationRequest("openid").toString());
				browser.fill("Email address", email).fill("Password", "sample passphrase").click("Sign in");
				var tokens = (OIDCTokenResponse) rp.exchangeForAnswer(AuthenticationResponseParser.parse(browser.url()))
					.toSuccessResponse();
				JWTClaimsSet id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
				assertThat(id.getStringClaim("loyaltyNumber")).matches("LN-\\d+");
				assertThat(id.getStringListClaim("customRoles")).containsExactly("Shopper");
			}
			// Registered for another audience, Foyer's token no longer convinces the sample.
			this.api.patch("/api/v1/tenants/" + tenant + "/identity/customAuthenticationExtensions/" + extension,
					Map.of("authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication",
							"resourceId", "api://someone-else.example.com")));
			JsonNode test = this.api.post("/api/v1/tenants/" + tenant + "/identity/customAuthenticationExtensions/" + extension
					+ "/test", Map.of()).json();
			assertThat(test.get("succeeded").asBoolean()).isFalse();
			assertThat(test.get("message").asString()).contains("401");
		}
		finally {
			sample.stop(0);
		}
	}

	private String register(String tenant, String url, String audience) {
		return this.api.post("/api/v1/tenants/" + tenant + "/identity/customAuthenticationExtensions", Map.of(
				"@odata.type", "#microsoft.graph.onTokenIssuanceStartCustomExtension", "displayName", "Loyalty claims",
				"endpointConfiguration", Map.of("@odata.type", "#microsoft.graph.httpRequestEndpoint", "targetUrl", url),
				"authenticationConfiguration", Map.of("@odata.type", "#microsoft.graph.azureAdTokenAuthentication",
						"resourceId", audience),
				"claimsForTokenConfiguration", List.of(Map.of("claimIdInApiResponse", "loyaltyNumber"),
						Map.of("claimIdInApiResponse", "customRoles")))).json().get("id").asString();
	}

}
