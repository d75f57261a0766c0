"""Nothing of the services app is kept in the operators' admin: the two shared catalogues (诉求办理时限,
代办审批事项) are edited on their own pages (``catalogue_views``), where their rules hold (an urgent
time limit never longer than the normal one, at least one day, an approval in use never deleted),
and requests and agency items only change through their steps."""
