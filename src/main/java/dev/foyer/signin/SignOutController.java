package dev.foyer.signin;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.foyer.flow.FlowRun;
import dev.foyer.flow.FlowRuns;
import dev.foyer.mail.Mailer;
import dev.foyer.session.SsoSessions;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;

/**
 * Signing out of a tenant by hand (a confirmation page, then a post with the flow's CSRF token), the page that
 * follows an RP-initiated logout without a return address, and the development outbox.
 */
@Controller
class SignOutController {

	private final Tenants tenants;

	private final FlowRuns flows;

	private final SsoSessions sessions;

	private final Mailer mailer;

	private final PageLocale locales;

	SignOutController(Tenants tenants, FlowRuns flows, SsoSessions sessions, Mailer mailer, PageLocale locales) {
		this.tenants = tenants;
		this.flows = flows;
		this.sessions = sessions;
		this.mailer = mailer;
		this.locales = locales;
	}

	@GetMapping("/t/{tenant}/logout")
	String confirm(@PathVariable String tenant, Model model, HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = this.flows.start(tenant, "signout", "confirm", null, Map.of(), request, response);
		this.locales.apply(request, run);
		model.addAttribute("org", t);
		model.addAttribute("flow", run);
		model.addAttribute("signedIn", this.sessions.current(tenant, request).isPresent());
		return "signin/logout";
	}

	@PostMapping("/t/{tenant}/logout")
	String signOut(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, HttpServletRequest request, HttpServletResponse response) {
		tenant(tenant);
		FlowRun run = this.flows.posted(tenant, flow, csrf, request);
		this.sessions.end(tenant, request, response);
		this.flows.finish(run);
		return "redirect:/t/" + tenant + "/signed-out";
	}

	@GetMapping("/t/{tenant}/signed-out")
	String signedOut(@PathVariable String tenant, Model model, HttpServletRequest request) {
		model.addAttribute("org", tenant(tenant));
		this.locales.apply(request, null);
		return "signin/signed-out";
	}

	/** Mails Foyer would have sent; only when no SMTP server is configured (development and trials). */
	@GetMapping("/dev/outbox")
	String outbox(Model model) {
		if (this.mailer.usesSmtp()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		model.addAttribute("mails", this.mailer.outbox());
		return "signin/outbox";
	}

	private Tenant tenant(String id) {
		return this.tenants.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "tenant"));
	}

}
