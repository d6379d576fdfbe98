package dev.foyer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BaseUrlTest {

	private static BaseUrl of(String url) {
		return new BaseUrl(new FoyerProperties(url, Path.of("."), null, null, new FoyerProperties.Bootstrap(null, null, null, null)));
	}

	@Test
	void issuersAreTenantPathsUnderTheBaseUrl() {
		BaseUrl base = of("https://id.example.com/");
		assertThat(base.issuer("contoso")).isEqualTo("https://id.example.com/t/contoso");
		assertThat(base.tenantOfIssuer("https://id.example.com/t/contoso")).contains("contoso");
		assertThat(base.tenantOfIssuer("https://evil.example.com/t/contoso")).isEmpty();
		assertThat(base.tenantOfIssuer("https://id.example.com/t/contoso/more")).isEmpty();
		assertThat(base.tenantOfIssuer("https://id.example.com/t/")).isEmpty();
		assertThat(base.tenantOfIssuer(null)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "localhost:8080", "/relative", "ftp://id.example.com", "https://id.example.com/path",
			"https://id.example.com?x=1", "https://user@id.example.com", "http://exa mple.com" })
	void refusesWhatIsNotAnAbsoluteRootUrl(String url) {
		assertThatThrownBy(() -> of(url)).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("FOYER_BASE_URL");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:8080", "http://LOCALHOST", "http://foyer.localhost:9000", "http://127.0.0.1:8080",
			"http://127.1.2.3", "http://[::1]:8080" })
	void knowsALoopbackBaseUrl(String url) {
		assertThat(of(url).isLoopback()).as(url).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://id.example.com", "http://10.0.0.5:8080", "http://localhost.example.com",
			"http://128.0.0.1", "http://[::2]", "http://192.168.1.127" })
	void knowsABaseUrlOthersReach(String url) {
		assertThat(of(url).isLoopback()).as(url).isFalse();
	}

}
