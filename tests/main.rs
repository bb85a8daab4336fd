mod escalation;
