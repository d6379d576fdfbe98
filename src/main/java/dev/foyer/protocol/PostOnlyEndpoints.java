package dev.foyer.protocol;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The token, introspection and revocation endpoints take POST only (RFC 6749 3.2, RFC 7662, RFC 7009), and Spring
 * Authorization Server's filters see nothing else. Another method would end as a 404 that calls the endpoint a
 * missing static resource; a developer trying one gets 405 with {@code Allow: POST} instead.
 */
@RestController
class PostOnlyEndpoints {

	@RequestMapping(path = { "/t/{tenant}/oauth2/token", "/t/{tenant}/oauth2/introspect", "/t/{tenant}/oauth2/revoke" },
			method = { RequestMethod.GET, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE })
	void postOnly(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
		throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("POST"));
	}

}
