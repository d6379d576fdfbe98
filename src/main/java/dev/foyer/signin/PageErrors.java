package dev.foyer.signin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;

import dev.foyer.session.TenantPaths;
import dev.foyer.tenant.Tenants;
import dev.foyer.web.RequestLogFilter;

/**
 * Errors on hosted pages: a friendly page with a reference id that also appears in the log, never a stack trace.
 */
@ControllerAdvice(assignableTypes = { SignInController.class, SignOutController.class, ResetController.class,
		OtpController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

	private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

	private final Tenants tenants;

	PageErrors(Tenants tenants) {
		this.tenants = tenants;
	}

	@ExceptionHandler(ResponseStatusException.class)
	String known(ResponseStatusException ex, Model model, HttpServletRequest request, HttpServletResponse response) {
		response.setStatus(ex.getStatusCode().value());
		String reason = ex.getReason() == null ? "error.generic" : "error." + ex.getReason();
		log.info("Page refused: {} {} ({})", request.getMethod(), request.getRequestURI(), reason);
		return view(model, request, reason);
	}

	@ExceptionHandler(Exception.class)
	String unexpected(Exception ex, Model model, HttpServletRequest request, HttpServletResponse response) {
		log.error("Unexpected error on page {} {}", request.getMethod(), request.getRequestURI(), ex);
		response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR.value());
		return view(model, request, "error.generic");
	}

	private String view(Model model, HttpServletRequest request, String message) {
		// The tenant's name on its error pages too, as on every other page (its path was checked before any page).
		TenantPaths.tenantOf(request).flatMap(this.tenants::find).ifPresent(tenant -> model.addAttribute("org", tenant));
		model.addAttribute("message", message);
		model.addAttribute("reference", MDC.get(RequestLogFilter.REQUEST_ID));
		return "signin/error";
	}

}
