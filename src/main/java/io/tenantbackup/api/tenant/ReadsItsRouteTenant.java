package io.tenantbackup.api.tenant;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource method whose one statement reads its route's tenant by name and answers a bad name, an unknown tenant
 * and a tenant that is not NORMAL as the route check does ({@code TenantService.requireNormalOfRead}):
 * {@link TenantRouteFilter} then leaves the check to it, sparing a polled read a round trip.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReadsItsRouteTenant {
}
