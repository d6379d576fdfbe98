package dev.foyer.session;

import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import dev.foyer.config.BaseUrl;

/**
 * Foyer's browser cookies: HttpOnly, SameSite=Lax, Secure whenever the base URL is https, and scoped to one
 * tenant's path so that no tenant ever receives another's cookies.
 */
@Component
public class Cookies {

	private final boolean secure;

	public Cookies(BaseUrl baseUrl) {
		this.secure = baseUrl.isHttps();
	}

	public void set(HttpServletResponse response, String tenantId, String name, String value, Duration maxAge) {
		ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(name, value)
			.httpOnly(true)
			.secure(this.secure)
			.sameSite("Lax")
			.path(TenantPaths.cookiePath(tenantId));
		if (maxAge != null) {
			cookie.maxAge(maxAge);
		}
		response.addHeader("Set-Cookie", cookie.build().toString());
	}

	public void clear(HttpServletResponse response, String tenantId, String name) {
		set(response, tenantId, name, "", Duration.ZERO);
	}

	public static Optional<String> read(HttpServletRequest request, String name) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return Optional.empty();
		}
		for (Cookie cookie : cookies) {
			if (name.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
				return Optional.of(cookie.getValue());
			}
		}
		return Optional.empty();
	}

}
