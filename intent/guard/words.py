"""Word lists of the guard: which utilities read, write, destroy, use the network or elevate.

Kept apart from the rules so that the lists read as data.
"""

from __future__ import annotations

import re

DISK = re.compile(
    r"^/dev/(sd[a-z]+\d*|hd[a-z]+\d*|vd[a-z]+\d*|xvd[a-z]+\d*|nvme\d+(n\d+(p\d+)?)?|"
    r"mmcblk\d+(p\d+)?|disk\d+(s\d+)?|rdisk\d+(s\d+)?|md\d+|dm-\d+|mapper/.+|loop\d+|"
    r"disk/by-[a-z]+/.+|root|sr\d+|vg[\w-]*/.+)$"
)

# where a file holds secrets: sending one anywhere is refused
CREDENTIALS = re.compile(
    r"(^|[/\s=@<:'\"])(~|\$HOME|\$\{HOME\})?/?(\.ssh(/|\b)|\.aws(/|\b)|\.gnupg(/|\b)|"
    r"\.config/gh(/|\b)|\.netrc\b|\.git-credentials\b|\.pgpass\b|\.docker/config\.json|"
    r"\.kube/config|\.password-store|\.config/gcloud|\.azure/|etc/shadow|etc/gshadow|"
    r"etc/sudoers|[\w.-]*\.pem\b|[\w.-]*\.key\b|id_(rsa|dsa|ecdsa|ed25519)[\w.]*|"
    r"\.env(rc)?(\.[\w-]+)?(?![\w/])|[\w.-]*_history\b|\.history\b|fish_history|"
    r"\.kube/|kubeconfig|\.npmrc|\.pypirc|\.vault-token|\.config/hub|\.terraform\.d/|"
    r"\.boto\b|\.s3cfg|\.my\.cnf|\.config/rclone|\.cargo/credentials|\.gem/credentials|"
    r"proc/[\w$*{}]+/(environ|cmdline)|\.mozilla/|\.config/google-chrome|\.password|"
    r"\.local/share/keyrings|\.secrets?\b|credentials(\.json)?\b|secrets?\.(ya?ml|json)\b)"
)

# files read when a shell, a login or a tool starts: writing them plants code for later
STARTUP = re.compile(
    r"^(~/\.(bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|"
    r"zlogin|kshrc|cshrc|tcshrc|xinitrc|xprofile|xsession|inputrc|gitconfig|pam_environment|"
    r"ssh/authorized_keys|ssh/config|ssh/rc|config/fish/config\.fish|config/autostart/.*|"
    r"config/systemd/user/.*|config/git/config|local/share/applications/.*)|"
    r"/etc/(profile|profile\.d/.*|bash\.bashrc|bashrc|zshrc|zsh/.*|environment|"
    r"ld\.so\.preload|sudoers|sudoers\.d/.*|cron.*|crontab|passwd|shadow|group|hosts|"
    r"rc\.local|systemd/.*|init\.d/.*|pam\.d/.*|ssh/.*|security/.*|resolv\.conf|fstab)|"
    r"/var/spool/cron/.*|/root/.*)$"
)

# environment variables that make a program run other code or load other libraries
EXEC_VARS = re.compile(
    r"^(PATH|IFS|LD_\w+|DYLD_\w+|BASH_ENV|ENV|SHELLOPTS|BASHOPTS|PROMPT_COMMAND|PS[0-4]|"
    r"GIT_\w+|PAGER|MANPAGER|MANOPT|SYSTEMD_PAGER|LESSOPEN|LESSCLOSE|LESS|EDITOR|VISUAL|"
    r"BROWSER|PERL5OPT|PERL5LIB|PERLLIB|PYTHONSTARTUP|PYTHONPATH|PYTHONHOME|RUBYOPT|RUBYLIB|"
    r"NODE_OPTIONS|NODE_PATH|SSH_ASKPASS|SUDO_ASKPASS|SUDO_EDITOR|GCONV_PATH|TAR_OPTIONS|"
    r"RSYNC_RSH|RSYNC_CONNECT_PROG|CVS_RSH|CURL_HOME|WGETRC|XDG_CONFIG_HOME|HOME|ZDOTDIR|"
    r"HISTFILE|TMOUT|BASH_FUNC_.*|LC_ALL_EXEC|RUSTC_WRAPPER|CC|CXX|MAKEFLAGS)$"
)

# environment variables that make a read-only tool load code, configuration or a plugin, or
# talk to another server: `RIPGREP_CONFIG_PATH`, `OPENSSL_CONF`, `JAVA_TOOL_OPTIONS`, `*_PAGER`
LOADER_VARS = re.compile(
    r"^(\w*PAGER|\w*LESS|LESS\w*|\w*EDITOR|\w*_CONF|\w*CONFIG\w*|\w*_OPTIONS|\w*_OPTS|\w*PRELOAD\w*|"
    r"\w*_AUDIT|\w*PLUGINS?\w*|\w*HOOKS?|\w*_SHELL|\w*_COMMAND|\w*_CMD|\w*_PROGRAM|"
    r"\w*_EXEC\w*|\w*LIBRARY_PATH|\w*_PATH|\w*PATH|\w*_HOME|\w*_DIR|\w*_ENGINES|\w*_MODULES|"
    r"CLASSPATH|KUBECONFIG|DOCKER_HOST|DOCKER_CONTEXT|CONTAINER_HOST|TERMINFO\w*|LESSKEY\w*|"
    r"BASH_FUNC_.*|SHELL|GNUPGHOME|GIT_\w+|SSH_\w+|JAVA_\w+|_JAVA_\w+|JDK_\w+|"
    r"KUBE\w*|HELM_\w+|VAULT_ADDR|\w+_SERVER|\w+_ENDPOINT\w*|\w+_URL|AWS_CA_BUNDLE|"
    r"OPENSSL_\w+|PYTHON\w+|PERL\w+|RUBY\w+|NODE_\w+|NPM_CONFIG_\w+|LUA_\w+|"
    r"GCONV_PATH|LOCPATH|NLSPATH|HOSTALIASES|RES_OPTIONS|LOCALDOMAIN|TZDIR|MAGIC|"
    r"INPUTRC|WGETRC|CURL_HOME|HTTPIE_\w+|GREP_OPTIONS)$"
)

FORK_BOMB = re.compile(r"([\w:.]+)\s*\(\s*\)\s*\{[^}]*\1\s*\|\s*&?\s*\1\s*&[^}]*\}")

HOME_WORDS = frozenset({"~", "$HOME", "${HOME}"})
HARMLESS_TARGETS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-"})

# deleting these recursively is refused
SYSTEM_DIRS = frozenset(
    """
    / /Applications /Library /System /Users /bin /boot /dev /etc /home /lib /lib32 /lib64
    /opt /proc /root /sbin /srv /sys /usr /usr/bin /usr/lib /usr/local /var /var/lib
    """.split()
)

# run the rest as another user
PRIV = frozenset(
    """
    doas pkexec run0 su sudo
    """.split()
)

# run their argument or stdin as shell code
SHELLS = frozenset(
    """
    ash bash busybox csh dash fish ksh sh tcsh zsh
    """.split()
)

INTERPRETERS = SHELLS | frozenset("python python3 python2 perl ruby node php lua pwsh".split())

# use the network
NETWORK = frozenset(
    """
    aria2c axel curl dig ftp host http https lftp mosh mtr nc ncat netcat nmap nslookup ping
    ping6 rsync scp sftp socat ssh ssh-copy-id telnet tracepath traceroute wget whois
    """.split()
)

# delete or overwrite data
DESTRUCTIVE = frozenset(
    """
    dd delgroup deluser fdisk gdisk groupdel halt kill -9 mke2fs mkfs mkswap parted poweroff
    reboot rm sfdisk sgdisk shred shutdown srm truncate unlink userdel wipefs
    """.split()
)

# change files or system state
WRITES = frozenset(
    """
    . alias ansible apt apt-get at brew bundle bunzip2 bzip2 cargo chattr chgrp chmod chown
    chsh cmake code convert cp crontab csplit dnf docker dpkg ed emacs ex export ffmpeg
    flatpak gem git go gpg groupadd gunzip gzip helm hostnamectl insmod install ip iptables
    kill killall kubectl launchctl ln make mkdir mktemp modprobe mount mv mysql nano nft
    ninja nohup npm npx open openssl pacman passwd patch perl pip pip3 pipx pkill pnpm
    podman poetry port psql redis-cli rename renice rmdir rmmod rpm screen sed service set
    setfacl snap sort source split sqlite3 ssh-keygen swapoff swapon sysctl systemctl tar
    tee terraform timedatectl tmux touch ufw umount unset unxz unzip useradd usermod uv vi
    vim watch xdg-open xz yarn yum zip zstd zypper
    """.split()
)

# only read (arguments may still raise the risk through a rule)
SAFE = frozenset(
    """
    [ [[ ag apropos arch arp awk b2sum base32 base64 basename bat batcat bc bg blkid btop
    bzcat cal cat cd cksum clear cmp colordiff column comm command crontab cut date declare
    df diff dirname dirs dmesg docker du duf dust echo egrep env exa exiftool exit expand
    expr eza factor false fastfetch fd ffprobe fg fgrep file find fmt fold free fzf gawk
    getent git grep groups hash head help hexdump history hostname hostnamectl htop iconv id
    identify ifconfig info inxi iostat ip iwconfig jobs join journalctl jq last ldd less let
    local locale locate loginctl look ls lsattr lsblk lscpu lsd lsmod lsof lspci lsusb man
    mawk md5sum mediainfo more most mpstat ncdu neofetch netstat nl nm nmcli nproc numfmt
    objdump od paste pdfinfo pgrep pidof popd printenv printf ps pstree pushd pwd pydoc read
    readelf readlink realpath resolvectl return rev rg route sar screenfetch sed sensors seq
    sha1sum sha256sum sha512sum shasum shopt shuf size sleep sort ss stat strings stty sum
    sw_vers sysctl system_profiler systemctl systemd-analyze tac tail tar test time
    timedatectl tldr top tput tr tree true tty type uname unexpand uniq uptime users vimdiff
    vmstat w wait wc whatis whereis which who whoami xargs xxd xzcat yes yq zcat zgrep zless
    """.split()
)
