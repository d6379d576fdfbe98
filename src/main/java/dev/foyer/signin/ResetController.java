package dev.foyer.signin;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.PasswordPolicy;
import dev.foyer.flow.FlowRun;
import dev.foyer.flow.FlowRuns;
import dev.foyer.userflow.UserFlows;
import dev.foyer.mail.Mail;
import dev.foyer.mail.Mailer;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;
import dev.foyer.web.FieldChecks;

/**
 * Self-service password reset: email, then a code by mail, then a new password. The screens are the same whether
 * or not the address has an account (only an account's owner gets a code). A reset ends every session and refresh
 * token of the account, tells its owner by mail, and signs the person in.
 */
@Controller
@RequestMapping("/t/{tenant}/reset")
class ResetController {

	private static final Logger log = LoggerFactory.getLogger(ResetController.class);

	static final String RESET = "reset";

	private final Tenants tenants;

	private final Accounts accounts;

	private final FlowRuns flows;

	private final SignInThrottle throttle;

	private final Mailer mailer;

	private final EmailCodes codes;

	private final PageLocale locales;

	private final UserFlows userFlows;

	private final PasswordMigration migration;

	private final SignInController signIn;

	ResetController(Tenants tenants, Accounts accounts, FlowRuns flows, SignInThrottle throttle, Mailer mailer,
			EmailCodes codes, PageLocale locales, UserFlows userFlows, PasswordMigration migration, SignInController signIn) {
		this.migration = migration;
		this.signIn = signIn;
		this.userFlows = userFlows;
		this.tenants = tenants;
		this.accounts = accounts;
		this.flows = flows;
		this.throttle = throttle;
		this.mailer = mailer;
		this.codes = codes;
		this.locales = locales;
	}

	@GetMapping
	String start(@PathVariable String tenant, @RequestParam(required = false) String flow, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		Optional<FlowRun> run = this.flows.find(tenant, flow, request);
		if (run.isEmpty()) {
			this.flows.requireCookiesKept(flow, request);
			FlowRun started = this.flows.start(tenant, RESET, SignInController.EMAIL, null, Map.of(), request, response);
			return "redirect:/t/" + tenant + "/reset?flow=" + started.id();
		}
		FlowRun current = run.get();
		if (!RESET.equals(current.kind())) {
			Map<String, String> data = new HashMap<>();
			Optional.ofNullable(current.get(SignInController.LOCALES)).ifPresent(l -> data.put(SignInController.LOCALES, l));
			Optional.ofNullable(current.get(SignInController.CLIENT)).ifPresent(c -> data.put(SignInController.CLIENT, c));
			current = current.withStep(RESET, SignInController.EMAIL, data);
			this.flows.save(current);
		}
		return view(t, current, model, request, null);
	}

	@PostMapping("/email")
	String email(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String email, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = posted(tenant, flow, csrf, request);
		if (!this.throttle.allowPost(request.getRemoteAddr())) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			return view(t, run, model, request, "error.rateLimited");
		}
		String address = new FieldChecks().email("email", email, true);
		if (address == null) {
			model.addAttribute("email", email);
			return view(t, run, model, request, "error.invalidEmail");
		}
		Map<String, String> data = new HashMap<>(run.data());
		data.put(SignInController.EMAIL, address);
		FlowRun next = send(t, run.withStep(RESET, "code", data));
		this.flows.save(next);
		return view(t, next, model, request, null);
	}

	@PostMapping("/resend")
	String resend(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, Model model, HttpServletRequest request) {
		Tenant t = tenant(tenant);
		FlowRun run = posted(tenant, flow, csrf, request);
		if (!"code".equals(run.step())) {
			return view(t, run, model, request, null);
		}
		var next = this.codes.resend(run, fresh -> send(t, fresh));
		if (next.isEmpty()) {
			return view(t, run, model, request, "error.resendTooSoon");
		}
		model.addAttribute("notice", "notice.codeResent");
		return view(t, next.get(), model, request, null);
	}

	@PostMapping("/code")
	String code(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String code, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = posted(tenant, flow, csrf, request);
		if (!"code".equals(run.step())) {
			return view(t, run, model, request, null);
		}
		// A wrong code counts toward the address's lockout, as a wrong password does.
		String email = run.get(SignInController.EMAIL);
		if (this.throttle.beginOnPage(tenant, email, request, model, response) == null) {
			return view(t, run, model, request, SignInThrottle.LOCKED_OUT);
		}
		EmailCodes.Verification verified = this.codes.verify(run, RESET, code, "password", Map.of());
		if (verified.error() == null) {
			this.throttle.clear(tenant, email);
		}
		return view(t, verified.run(), model, request, verified.error());
	}

	@PostMapping("/password")
	String password(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String password, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = posted(tenant, flow, csrf, request);
		if (!"password".equals(run.step()) || !"true".equals(run.get(SignInController.VERIFIED))) {
			return view(t, run, model, request, null);
		}
		String email = run.get(SignInController.EMAIL);
		Optional<Account> account = this.accounts.findByEmail(tenant, email);
		if (account.isEmpty()) {
			// Only reachable with a valid code, which only an account's owner receives.
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "flow.expired");
		}
		FieldChecks checks = new FieldChecks();
		PasswordPolicy.check(checks, "password", password == null ? "" : password, email);
		if (checks.hasProblems()) {
			model.addAttribute("problem", checks.problems().get(0).message());
			return view(t, run, model, request, "error.checkFields");
		}
		Account changed = this.accounts.resetPassword(tenant, account.get().id(), password);
		// A reset password is Foyer's own: the old system's one must not open the account any more.
		this.migration.settled(tenant, changed.id());
		this.throttle.clear(tenant, email);
		Locale locale = this.locales.of(run);
		this.mailer.send(new Mail(email, this.locales.message("mail.passwordChanged.subject", locale, t.displayName()),
				this.locales.message("mail.passwordChanged.body", locale, t.displayName())));
		log.info("Password reset for account {} in tenant {}", changed.id(), tenant);
		if (!changed.accountEnabled()) {
			this.signIn.logAttempt(tenant, run, "blocked", List.of("pwd", "otp"), changed.id(), email, request);
			return view(t, run, model, request, "error.blocked");
		}
		return this.signIn.signedIn(t, run, changed, List.of("pwd", "otp"), request, response);
	}

	/** A code to an account's owner; nothing to an address without an account, with the same screens after. */
	private FlowRun send(Tenant tenant, FlowRun run) {
		String email = run.get(SignInController.EMAIL);
		boolean exists = this.accounts.findByEmail(tenant.id(), email).isPresent();
		EmailCodes.Issued issued = this.codes.issue(run, RESET, exists);
		FlowRun next = run.withStep(RESET, "code", issued.data());
		if (issued.code() != null) {
			this.codes.deliver(tenant, next, email, issued.code(), "mail.reset");
		}
		return next;
	}

	private String view(Tenant tenant, FlowRun run, Model model, HttpServletRequest request, String error) {
		this.locales.apply(request, run);
		model.addAttribute("org", tenant);
		model.addAttribute("flow", run);
		model.addAttribute("error", error);
		model.addAttribute("step", RESET.equals(run.kind()) ? run.step() : SignInController.EMAIL);
		model.addAttribute("email", model.getAttribute("email") != null ? model.getAttribute("email") : run.get(SignInController.EMAIL));
		model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
		model.addAttribute("maxLength", PasswordPolicy.MAX_LENGTH);
		Locale locale = this.locales.resolveLocale(request);
		String title = this.userFlows.passwordReset(tenant.id()).text(locale, "PasswordReset_Title");
		model.addAttribute("title", title != null ? title : this.locales.message("reset.title", locale));
		return "signin/reset";
	}

	private FlowRun posted(String tenant, String flow, String csrf, HttpServletRequest request) {
		return this.flows.posted(tenant, flow, csrf, request);
	}

	/** The tenant, if its password reset flow offers self-service reset; every reset page goes through here. */
	private Tenant tenant(String id) {
		Tenant tenant = this.tenants.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "tenant"));
		if (!this.userFlows.passwordReset(id).enabled()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "resetUnavailable");
		}
		return tenant;
	}

}
