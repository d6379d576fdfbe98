package dev.foyer.signin;

import java.util.Locale;

import org.springframework.stereotype.Component;

import dev.foyer.config.BaseUrl;
import dev.foyer.directory.Account;
import dev.foyer.mail.Mail;
import dev.foyer.mail.Mailer;
import dev.foyer.tenant.Tenants;

/** The mail an admin sends to invite an account's owner to reset their password themselves. */
@Component
public class ResetMails {

	private final Mailer mailer;

	private final PageLocale locales;

	private final Tenants tenants;

	private final BaseUrl baseUrl;

	ResetMails(Mailer mailer, PageLocale locales, Tenants tenants, BaseUrl baseUrl) {
		this.mailer = mailer;
		this.locales = locales;
		this.tenants = tenants;
		this.baseUrl = baseUrl;
	}

	public void send(String tenantId, Account account) {
		String name = this.tenants.get(tenantId).displayName();
		this.mailer.send(new Mail(account.email(), this.locales.message("mail.adminReset.subject", Locale.ENGLISH, name),
				this.locales.message("mail.adminReset.body", Locale.ENGLISH, name,
						this.baseUrl + "/t/" + tenantId + "/reset")));
	}

}
