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

import dev.foyer.application.Applications;
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

	private final Applications applications;

	SignOutController(Tenants tenants, FlowRuns flows, SsoSessions sessions, Mailer mailer, PageLocale locales,
			Applications applications) {
		this.tenants = tenants;
		this.flows = flows;
		this.sessions = sessions;
		this.mailer = mailer;
		this.locales = locales;
		this.applications = applications;
	}

	/**
	 * The sign-out page, also where an RP-initiated logout without id_token_hint lands. It returns to the app after
	 * signing out only to a post-logout redirect URI registered exactly for the {@code client_id} given.
	 */
	@GetMapping("/t/{tenant}/logout")
	String confirm(@PathVariable String tenant, @RequestParam(name = "client_id", required = false) String clientId,
			@RequestParam(name = "post_logout_redirect_uri", required = false) String postLogoutRedirectUri,
			@RequestParam(required = false) String state, Model model, HttpServletRequest request,
			HttpServletResponse response) {
		Tenant t = tenant(tenant);
		String returnTo = clientId == null || postLogoutRedirectUri == null ? null
				: this.applications.client(tenant, clientId)
					.filter(client -> client.application().postLogoutRedirectUris().contains(postLogoutRedirectUri))
					.map(client -> SignOutReturn.to(postLogoutRedirectUri, state))
					.orElse(null);
		FlowRun run = this.flows.start(tenant, "signout", "confirm", returnTo, Map.of(), request, response);
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
		return "redirect:" + (run.returnTo() != null ? run.returnTo() : "/t/" + tenant + "/signed-out");
	}

	@GetMapping("/t/{tenant}/signed-out")
	String signedOut(@PathVariable String tenant, Model model, HttpServletRequest request) {
		model.addAttribute("org", tenant(tenant));
		this.locales.apply(request, null);
		return "signin/signed-out";
	}

	/** Mails Foyer would have sent; only without SMTP, on a loopback base URL (development and trials). */
	@GetMapping("/dev/outbox")
	String outbox(Model model) {
		if (!this.mailer.offersOutbox()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		model.addAttribute("mails", this.mailer.outbox());
		return "signin/outbox";
	}

	private Tenant tenant(String id) {
		return this.tenants.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "tenant"));
	}

}
