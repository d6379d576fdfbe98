package dev.foyer.protocol;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The methods each protocol endpoint takes, for the requests Spring Authorization Server's filters do not see.
 * Another method would end as a 404 that calls the endpoint a missing static resource; a developer trying one gets
 * 405 with the methods that work in {@code Allow} instead.
 * <ul>
 * <li>The token, introspection and revocation endpoints: POST only (RFC 6749 3.2, RFC 7662, RFC 7009).</li>
 * <li>The discovery documents and the key set: GET, and HEAD ({@link HeadRequests}).</li>
 * </ul>
 */
@RestController
class EndpointMethods {

	@RequestMapping(path = { "/t/{tenant}/oauth2/token", "/t/{tenant}/oauth2/introspect", "/t/{tenant}/oauth2/revoke" },
			method = { RequestMethod.GET, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE })
	void postOnly(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
		throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("POST"));
	}

	@RequestMapping(path = { "/t/{tenant}/.well-known/openid-configuration", "/t/{tenant}/oauth2/jwks",
			"/.well-known/oauth-authorization-server/t/{tenant}" },
			method = { RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE })
	void readOnly(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
		throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("GET", "HEAD"));
	}

}
