package dev.foyer.application;

/** What kind of app a registration is; it decides the client type, grants and redirect rules. */
public enum AppType {

	/** Server-side web app: confidential, authorization code flow. */
	web,
	/** Single-page app: public, authorization code flow with PKCE. */
	spa,
	/** Mobile or desktop app: public, authorization code flow with PKCE, custom-scheme redirects allowed. */
	nativeApp,
	/** Daemon or API client: confidential, client_credentials only. */
	service;

	public String wireName() {
		return this == nativeApp ? "native" : name();
	}

	public static AppType fromWireName(String name) {
		return "native".equals(name) ? nativeApp : valueOf(name);
	}

	public boolean confidential() {
		return this == web || this == service;
	}

	public static java.util.List<String> wireNames() {
		return java.util.Arrays.stream(values()).map(AppType::wireName).toList();
	}

}
