package dev.foyer.directory;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An account in a tenant's directory. The password hash never leaves this package's services: it is not
 * serialised, and {@link #hasPassword()} is all the admin API learns of it.
 */
public record Account(String id, String tenantId, AccountType accountType, String email, String displayName,
		String givenName, String surname, String streetAddress, String city, String state, String postalCode,
		String country, String jobTitle, String companyName, @JsonIgnore String passwordHash, boolean accountEnabled,
		boolean emailVerified, Instant createdAt, Instant updatedAt, Instant lastSignInAt) {

	@JsonProperty("hasPassword")
	public boolean hasPassword() {
		return this.passwordHash != null;
	}

	public enum AccountType {

		/** Signs up or is created to use the tenant's apps. */
		customer,
		/** Holds directory roles and manages the tenant. */
		admin

	}

}
