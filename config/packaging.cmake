# SPDX-License-Identifier: Apache-2.0
# The Debian package, built by CPack from the same install rules as
# `cmake --install`:  cmake --build build --target package
#
# libpam-device-flow_<version>-<release>_<arch>.deb holds the module in
# libpam's directory, its login helper, the pam-device-flow command, the man
# pages, the guides and examples, and the pam-auth-update profile (off by
# default). The maintainer scripts register
# and unregister that profile the way Debian's own PAM module packages do.

set(DEVFLOW_PACKAGE_MAINTAINER "pam_device_flow maintainers <maintainers@users.noreply.r-seed-fac5c8fd.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(DEVFLOW_PACKAGE_RELEASE 1 CACHE STRING "Debian revision of the package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${DEVFLOW_PACKAGE_NAME})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${DEVFLOW_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "PAM module for login with the OAuth 2.0 device authorization grant")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"pam_device_flow logs users in through their identity provider (RFC 8628):
at login it shows a short code, a URL and a QR code, the user approves on
another device with the provider's own sign-in and MFA, and the module
binds the approving identity to the login user. It works with OpenID
Connect providers that offer a device endpoint (Keycloak, Okta, Entra ID,
Google, Auth0, Authentik), verifying the ID token and checking group, acr
and amr policy, and with AWS IAM Identity Center, where AWS names the
approving user and the login leaves the user's AWS CLI signed in.

The pam-device-flow command checks the configuration and reaches each
provider (check), and gives users tokens outside PAM (login, token).

Typical uses are SSH bastions (public key plus device approval) and sudo
step-up. The pam-auth-update profile is off by default; nothing changes
until the module is configured and added to a PAM stack.")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${DEVFLOW_PACKAGE_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Debian's own prefix; DEVFLOW_PAMDIR is absolute and lands in /lib anyway.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Ship a stripped module, as dh_strip would; the build tree keeps symbols.
set(CPACK_STRIP_FILES ON)

# pam-auth-update (libpam-runtime) runs in the maintainer scripts. The shared
# libraries come from dpkg-shlibdeps when it is there (versioned from the
# symbols files, like ${shlibs:Depends}); else from the list of what the
# module links, checked on Debian 12 with dpkg -S on `ldd` output.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libpam-runtime (>= 1.0.1-6), adduser")
find_program(DPKG_SHLIBDEPS_EXECUTABLE dpkg-shlibdeps)
if(DPKG_SHLIBDEPS_EXECUTABLE)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS
    ", libc6, libcurl4, libgcc-s1, libpam0g, libqrencode4, libseccomp2, libssl3, libstdc++6")
endif()

set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/config/debian/postinst
    ${PROJECT_SOURCE_DIR}/config/debian/prerm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# Only binary packages; a source tarball would sweep up build trees.
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
