package dev.foyer.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/**
 * With an https base URL, every answer tells browsers to keep to https (ASVS 14.4.5), although Foyer itself is
 * reached over http behind the proxy that ends TLS, where Spring Security would leave the header out.
 * ObservabilityTest checks that an http base URL sends none.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2BehindHttps.class)
class StrictTransportSecurityTest extends FoyerIntegrationTest {

	@Test
	void everyAnswerCarriesStrictTransportSecurity() throws Exception {
		for (String path : new String[] { "/t/admin/.well-known/openid-configuration", "/api/v1/tenants",
				"/t/admin/login", "/actuator/health", "/t/admin/oauth2/token" }) {
			Api.Response answer = this.api.get(path, null);
			assertThat(answer.header("Strict-Transport-Security")).as(path + " (" + answer.status() + ")")
				.isEqualTo("max-age=31536000 ; includeSubDomains");
		}
		String refused;
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream()
				.write("GET /t/admin/x%00y HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			refused = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
		}
		assertThat(refused).as("a request Tomcat refuses itself").startsWith("http/1.1 400")
			.contains("strict-transport-security: max-age=31536000 ; includesubdomains");
	}

}
