# Sourced by the browser checks: `need_command NAME PACKAGE... ` makes sure a command from
# Debian's packages is there, installing the packages when it is missing and we are root,
# unless COLLABSIM_NO_SYSTEM_PACKAGES=1 forbids installing; otherwise it exits with code 2
# (the tests read 2 as "skipped", with the reason on stderr). `$who` names the caller.
need_command() {
  local cmd=$1
  shift
  command -v "$cmd" >/dev/null && return 0
  if [ -n "${COLLABSIM_NO_SYSTEM_PACKAGES:-}" ] && [ "$COLLABSIM_NO_SYSTEM_PACKAGES" != 0 ]; then
    echo "$who: $cmd is not installed and COLLABSIM_NO_SYSTEM_PACKAGES is set, so it is not installed here (apt-get install $*, or unset it)" >&2
    exit 2
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "$who: $cmd is not installed and we are not root to install it (apt-get install $*)" >&2
    exit 2
  fi
  echo "$who: installing Debian's $* package(s)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "$@" >/dev/null
}
