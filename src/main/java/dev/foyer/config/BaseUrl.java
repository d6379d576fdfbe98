package dev.foyer.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The validated public base URL ({@code FOYER_BASE_URL}) and the issuer of each tenant under it.
 */
@Component
public class BaseUrl {

	private static final String TENANT_PATH = "/t/";

	private final URI uri;

	private final String value;

	public BaseUrl(FoyerProperties properties) {
		this.uri = parse(properties.baseUrl());
		String text = this.uri.toString();
		this.value = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
	}

	static URI parse(String raw) {
		String setting = "FOYER_BASE_URL (foyer.base-url)";
		if (raw == null || raw.isBlank()) {
			throw new InvalidConfigurationException(setting, "is empty", "Set it to the URL browsers reach Foyer at, e.g. https://id.example.com");
		}
		URI uri;
		try {
			uri = new URI(raw.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationException(setting, "'" + raw + "' is not a URL", "Set it to an absolute URL such as https://id.example.com");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
			throw new InvalidConfigurationException(setting, "'" + raw + "' is not an absolute http(s) URL",
					"Set it to an absolute URL such as https://id.example.com");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			throw new InvalidConfigurationException(setting, "'" + raw + "' must not carry a query, fragment or user info",
					"Give only scheme, host and port, e.g. https://id.example.com");
		}
		String path = uri.getRawPath();
		if (path != null && !path.isEmpty() && !path.equals("/")) {
			throw new InvalidConfigurationException(setting, "'" + raw + "' has a path; Foyer serves at the root of its host",
					"Give only scheme, host and port, e.g. https://id.example.com, and route the whole host to Foyer");
		}
		return uri;
	}

	public URI uri() {
		return this.uri;
	}

	public boolean isHttps() {
		return "https".equalsIgnoreCase(this.uri.getScheme());
	}

	/**
	 * Whether the base URL names this machine itself (localhost, 127.0.0.0/8, ::1): a developer's or a trial's
	 * server, which no one else reaches. Told from the URL alone, without asking DNS.
	 */
	public boolean isLoopback() {
		String host = this.uri.getHost().toLowerCase(Locale.ROOT);
		return host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("[::1]");
	}

	/** The issuer identifier of a tenant: {@code {base}/t/{tenant}}. */
	public String issuer(String tenantId) {
		return this.value + TENANT_PATH + tenantId;
	}

	/** The tenant whose issuer this is, if it is one of ours. */
	public Optional<String> tenantOfIssuer(String issuer) {
		String prefix = this.value + TENANT_PATH;
		if (issuer == null || !issuer.startsWith(prefix)) {
			return Optional.empty();
		}
		String id = issuer.substring(prefix.length());
		return id.isEmpty() || id.contains("/") ? Optional.empty() : Optional.of(id);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
