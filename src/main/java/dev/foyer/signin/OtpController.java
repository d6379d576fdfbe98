package dev.foyer.signin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.flow.FlowRun;
import dev.foyer.flow.FlowRuns;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;
import dev.foyer.userflow.UserFlow;
import dev.foyer.web.FieldChecks;

/**
 * Passwordless sign-in with an 8-digit code by mail, where the app's user flow offers it. An address without an
 * account gets a code too when the flow allows sign-up: once it is verified, the person goes on to the flow's
 * sign-up attributes and gets an account without a password. Where sign-up is closed, such an address sees the
 * same screens and gets no mail.
 */
@Controller
@RequestMapping("/t/{tenant}/login/otp")
class OtpController {

	static final String OTP = "otp";

	private final Tenants tenants;

	private final Accounts accounts;

	private final FlowRuns flows;

	private final SignInThrottle throttle;

	private final EmailCodes codes;

	private final PageLocale locales;

	private final SignInController signIn;

	OtpController(Tenants tenants, Accounts accounts, FlowRuns flows, SignInThrottle throttle,
			EmailCodes codes, PageLocale locales, SignInController signIn) {
		this.tenants = tenants;
		this.accounts = accounts;
		this.flows = flows;
		this.throttle = throttle;
		this.codes = codes;
		this.locales = locales;
		this.signIn = signIn;
	}

	@PostMapping
	String send(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String email, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = this.signIn.postedFlow(tenant, flow, csrf, request);
		UserFlow userFlow = this.signIn.userFlow(t, run);
		if (!userFlow.signInMethods().contains(UserFlow.EMAIL_OTP)) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "generic");
		}
		if (!this.throttle.allowPost(request.getRemoteAddr())) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			return view(t, run, model, request, "error.rateLimited");
		}
		String address = new FieldChecks().email("email", email, true);
		if (address == null) {
			return this.signIn.signInPageFor(t, run, model, request, "error.invalidEmail", email);
		}
		Map<String, String> data = new HashMap<>(run.data());
		data.put(SignInController.EMAIL, address);
		FlowRun next = issue(t, run.withStep(SignInController.SIGN_IN, OTP, data), userFlow);
		this.flows.save(next);
		return view(t, next, model, request, null);
	}

	@PostMapping("/resend")
	String resend(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, Model model, HttpServletRequest request) {
		Tenant t = tenant(tenant);
		FlowRun run = this.signIn.postedFlow(tenant, flow, csrf, request);
		if (!OTP.equals(run.step())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "flow.expired");
		}
		UserFlow userFlow = this.signIn.userFlow(t, run);
		var next = this.codes.resend(run, fresh -> issue(t, fresh, userFlow));
		if (next.isEmpty()) {
			return view(t, run, model, request, "error.resendTooSoon");
		}
		model.addAttribute("notice", "notice.codeResent");
		return view(t, next.get(), model, request, null);
	}

	@PostMapping("/verify")
	String verify(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String code, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = this.signIn.postedFlow(tenant, flow, csrf, request);
		if (!OTP.equals(run.step())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "flow.expired");
		}
		String email = run.get(SignInController.EMAIL);
		// A wrong code counts toward the address's lockout, as a wrong password does.
		if (this.throttle.beginOnPage(tenant, email, request, model, response) == null) {
			this.signIn.logAttempt(tenant, run, "lockedOut", List.of(OTP), null, email, request);
			return view(t, run, model, request, SignInThrottle.LOCKED_OUT);
		}
		EmailCodes.Check checked = this.codes.check(run, OTP, code);
		if (checked.outcome() != EmailCodes.Outcome.VALID) {
			this.signIn.logAttempt(tenant, run,
					checked.outcome() == EmailCodes.Outcome.EXPIRED ? "codeExpired" : "invalidCredentials", List.of(OTP), null,
					email, request);
			FlowRun counted = run.withStep(SignInController.SIGN_IN, OTP, checked.data());
			return view(t, counted, model, request,
					checked.outcome() == EmailCodes.Outcome.EXPIRED ? "error.codeExpired" : "error.invalidCode");
		}
		this.throttle.clear(tenant, email);
		Optional<Account> account = this.accounts.findByEmail(tenant, email);
		if (account.isPresent()) {
			if (!account.get().accountEnabled()) {
				this.signIn.logAttempt(tenant, run, "blocked", List.of(OTP), account.get().id(), email, request);
				return view(t, run, model, request, "error.blocked");
			}
			this.accounts.recordSignIn(tenant, account.get().id());
			return this.signIn.signedIn(t, run, account.get(), List.of(OTP), request, response);
		}
		// A new address, proven: on to the sign-up attributes, where the account is created without a password.
		Map<String, String> data = checked.data();
		data.put(SignInController.VERIFIED, "true");
		data.put(SignInController.PASSWORDLESS, "true");
		FlowRun next = run.withStep(SignInController.SIGN_UP, "details", data);
		this.flows.save(next);
		return "redirect:/t/" + tenant + "/signup?flow=" + next.id();
	}

	/** A code to an account, or to a new address where sign-up is open; to nobody otherwise. Same screens. */
	private FlowRun issue(Tenant tenant, FlowRun run, UserFlow userFlow) {
		String email = run.get(SignInController.EMAIL);
		boolean exists = this.accounts.findByEmail(tenant.id(), email).isPresent();
		EmailCodes.Issued issued = this.codes.issue(run, OTP, exists || userFlow.selfServiceSignUp(), 8);
		FlowRun next = run.withStep(SignInController.SIGN_IN, OTP, issued.data());
		if (issued.code() != null) {
			this.codes.deliver(tenant, next, email, issued.code(), "mail.otp");
		}
		return next;
	}

	private String view(Tenant tenant, FlowRun run, Model model, HttpServletRequest request, String error) {
		this.locales.apply(request, run);
		model.addAttribute("org", tenant);
		model.addAttribute("flow", run);
		model.addAttribute("error", error);
		model.addAttribute("email", run.get(SignInController.EMAIL));
		return "signin/otp";
	}

	private Tenant tenant(String id) {
		return this.tenants.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "tenant"));
	}

}
