# ruff: noqa: E501  (phrase data: one sentence per string)
"""English phrase pools: ``key → (train phrasings, test phrasings)``, written separately.

Same keys and placeholders as :mod:`qa_service.classifiers.corpus.pools_zh`.
"""

from __future__ import annotations

Pool = tuple[list[str], list[str]]

POOLS: dict[str, Pool] = {
    # ---------------------------------------------------------------- inbound: agent lines
    "greet": (
        ["Thank you for calling {bank}, this is agent {job}, how may I help you?", "Good morning, {bank} customer service, agent {job} speaking.",
         "Hello, you've reached {bank}. My name is {agent}, agent number {job}. What can I do for you today?",
         "{bank}, agent {job}, how can I help?", "Welcome to {bank} phone banking, this is {agent}, agent {job}.",
         "Hi, thanks for calling {bank}. Agent {job} here."],
        ["Good afternoon and thank you for contacting {bank}; I'm agent {job}. How can I assist?",
         "Hello, {bank} service line, you're speaking with {agent}, ID {job}.", "Thanks for holding, {bank}, agent {job}. What brings you to us today?",
         "{bank} help desk, agent {job}. Who do I have the pleasure of speaking with?"],
    ),
    "invite": (
        ["Please go ahead.", "Sure, I'm listening.", "Of course, tell me more."],
        ["No problem, take your time.", "Alright, what's going on?"],
    ),
    "verify_ask": (
        ["May I have your full name and the last four digits of your ID?", "Before we start, could you confirm your name and the last four of your ID number?",
         "For security, please tell me your full name and the final four digits of your ID.", "Can I get the account holder's name and the last four digits of the ID?",
         "I just need to verify you first: your name and the last four digits of your identity card, please."],
        ["I'll need to confirm who I'm speaking with. Your name and the ending four digits of your ID?",
         "Could you verify your identity with your full name and the last four numbers on your ID?",
         "Security check first, please: full name and the last four of your ID document."],
    ),
    "id_answer": (
        ["My name is {name}, and the last four digits are {digits}.", "{name}, {digits}.", "It's {name}. Last four, {digits}.",
         "Sure, {name}, the digits are {digits}."],
        ["{name} here, ID ending {digits}.", "Yes, {name}; it ends in {digits}.", "Name's {name}, and {digits}."],
    ),
    "card_ask": (
        ["Could you read me the card number?", "Which card is this about? Please give me the number.", "What's the card number, please?"],
        ["Can you give me the account number?", "Please tell me the number on the card."],
    ),
    "card_answer": (
        ["It's {card}.", "The number is {card}.", "{card}."],
        ["Card number {card}.", "Account number is {card}."],
    ),
    "further_help": (
        ["Is there anything else I can help you with?", "Is there anything else you need today?", "Can I help you with anything else?",
         "Anything else I can do for you?"],
        ["Was there something else you wanted to check while you're on the line?", "Do you have any other questions for me?",
         "Is that everything for today?"],
    ),
    "closing": (
        ["Thank you for calling, goodbye.", "Thanks for calling {bank}, have a great day. Goodbye.", "Thank you for your patience, goodbye.",
         "Thanks for calling, take care, bye."],
        ["We appreciate your call. Goodbye.", "Thank you for reaching out, have a good evening. Goodbye.", "Thanks again for calling, bye now."],
    ),
    "apology": (
        ["I'm very sorry for the inconvenience. I'm logging this right now so it gets fixed.",
         "I apologize, that's our mistake. I've raised an urgent ticket for you.",
         "I'm sorry about this experience. I'm escalating it to the responsible team today.",
         "I apologize for the trouble. You'll hear back from us within {days} business days.",
         "I'm really sorry; I've requested a refund and flagged it as urgent.",
         "My apologies. I've written everything down and a specialist will call you back."],
        ["I truly apologize. I'm passing this to my supervisor for priority handling.",
         "Sorry for the hassle; I've opened an error-correction case and it should be resolved in {days} days.",
         "I understand how frustrating that is, and I'm sorry. We'll investigate and get back to you quickly.",
         "I apologize for the wait. I'll chase the back office and call you before the end of the day."],
    ),
    "escalation_reply": (
        ["I understand. I'll ask the duty manager to call you back right away.", "I hear you. I'm escalating this to our complaints team now.",
         "Let me record everything in detail, and a supervisor will contact you within two hours."],
        ["Please bear with me, I'm transferring this to our team lead.", "I've noted your request and a senior manager will follow up."],
    ),
    "suggestion_reply": (
        ["Thank you for the suggestion, I've recorded it for the relevant team.", "That's a great idea; I'll pass it to our product team.",
         "Thanks for the feedback, we'll look into it.", "Good point. I've logged it."],
        ["Much appreciated, I'll forward that to the people who design the service.", "Noted, your idea is in our feedback system now.",
         "Thanks for taking the time to share that, I'm entering it right away."],
    ),
    "praise_reply": (
        ["Thank you so much, I'll pass your kind words on to him.", "We really appreciate that, thank you.",
         "Thanks for taking the time to call about this; I'll record the compliment.", "That means a lot to us, thank you."],
        ["Lovely to hear. I'll let the branch manager know.", "Thank you, I'll share your feedback with the team.",
         "Wonderful, I'm logging your compliment in our system."],
    ),
    # ---------------------------------------------------------------- inbound: customer lines
    "hello": (["Hello?", "Yes, hello?", "Who's calling?"], ["Hi, who is this?", "Hello, yes?"]),
    "line_check": (["Hello, can you hear me?", "Hello? Can you hear me at all?", "Hi, sorry, the line is crackly, can you hear me?"], ["Hello? The line is bad, can you hear me okay?", "Sorry, it cut out. Are you still there?"]),
    "line_ok": (["Yes, I can hear you, go ahead."], ["Loud and clear, please go on.", "I hear you fine now, go ahead."]),
    "opener.inquiry": (
        ["Hi, I have a quick question.", "Hello, I was hoping you could help me with something.", "Hi there, I need some information.",
         "Hello, I'd like to check something, please.", "Hi, I need to sort something out."],
        ["Hey, sorry to bother you, I just want to confirm something.", "Hello, I'm calling because I'm not sure about something.",
         "Good morning, I've got something I'd like to ask about."],
    ),
    "opener.complaint": (
        ["I want to make a complaint.", "Hi, I'm calling to complain, and I'm really upset.", "I'd like to file a formal complaint.",
         "Hello, I'm extremely unhappy with your bank.", "I've had enough, someone needs to hear this."],
        ["What on earth is going on with your bank?", "Hi, I'm fed up and I want this on record.",
         "I'm furious, honestly, and I expect an answer today.", "Your bank has really let me down this time."],
    ),
    "opener.suggestion": (
        ["Hi, nothing's wrong, I just want to make a suggestion.", "Hello, I have an idea I'd like to share with you.",
         "Hi, I'd like to give some feedback on how things could be better."],
        ["Hi, this isn't a complaint, just a thought on improving things.", "Hello, I have a small recommendation.",
         "Hi, I've got an idea you might find useful."],
    ),
    "opener.praise": (
        ["Hi, I'm calling to say thank you.", "Hello, I want to compliment one of your staff.", "Hi, I just wanted to give some positive feedback."],
        ["Hi, I'd love to give a shout-out to someone at your bank.", "Hello, I'm not calling about a problem, I want to thank someone.",
         "Hi, I have some good news to share for a change."],
    ),
    "ack.neutral": (
        ["Okay.", "I see.", "Right, got it.", "Alright.", "Mm-hm.", "Okay, let me write that down.", "Fine.", "Sure."],
        ["Understood.", "Oh, okay then.", "Alright, that's clear.", "Noted.", "Okay, makes sense."],
    ),
    "ack.positive": (
        ["Great, thank you so much!", "That's a relief, thanks.", "Perfect, that answers it.", "Wonderful, problem solved.",
         "Oh, that explains it, thanks a lot.", "Brilliant, that's what I needed."],
        ["Fantastic, I feel much better now.", "Lovely, that's all I needed, thanks.", "Excellent, cheers.", "Awesome, thanks for clearing that up."],
    ),
    "close.customer": (
        ["No, that's all, thanks.", "No.", "Nothing else, bye.", "No thanks.", "That's it, goodbye."],
        ["Nope, I'm good.", "Not for now, thanks.", "That's everything, bye now.", "No, we're done."],
    ),
    "another": (
        ["Also, there's one more thing I wanted to ask.", "Oh, and while I have you, another question.", "One more thing."],
        ["Actually, I have another quick question.", "By the way, something else came up."],
    ),
    "follow.generic": (
        ["How long will that take?", "Do I need to come to a branch?", "What documents should I bring?", "Is there a fee for that?",
         "Can I do it in the app?", "When will it be done?"],
        ["How many days does that usually take?", "Can my husband do it for me?", "Does it cost anything?", "Is that possible online?"],
    ),
    # ------------------------------------------------------------- business: inquiry requests
    "req.account_inquiry": (
        ["I'd like to know my current balance.", "Can you check the transactions on my account for last month?",
         "There's a charge of {amount} dollars on my account that I don't recognize.", "Is my account frozen? I can't withdraw anything.",
         "How is the interest on my savings account calculated?", "I need last year's account statements. How do I get them?",
         "Why is there a maintenance fee taken from my account every quarter?", "I'd like to turn on text alerts for account activity.",
         "Could you check whether my salary has come in yet?", "My account shows an unusual status, what does that mean?"],
        ["Could you confirm how much money I have in my checking account?", "I got a text saying {amount} dollars went out, but I didn't spend that. Which payment is it?",
         "I need a six month transaction history for a mortgage application.", "What rate does my savings account earn, and when is interest paid?",
         "It looks like my account has restrictions on it. Can you tell me why?", "How much is the annual fee on this account?"],
    ),
    "req.bill_payment": (
        ["I want to pay this month's electricity bill.", "How can I pay my water bill through you?", "I'd like to set up automatic payment for my gas bill.",
         "Can you top up my phone with {amount} dollars?", "Can I pay my building management fee at your bank?",
         "My son's school fees have to go through your bank. How does that work?", "Can I pay a traffic fine in the mobile app?",
         "Yesterday's electricity payment says failed. Was I charged?", "I want to cancel the direct debit for my utilities.",
         "My cable TV subscription is due, can you renew it for me?"],
        ["Where do I pay the heating bill this year?", "I'd like all my household bills, water, power and gas, paid automatically each month.",
         "Can my social insurance contribution be debited from my card?", "Was my power bill charged twice last month?",
         "How do I pay for broadband using your bill pay service?", "Can I pay my health insurance premium through you?"],
    ),
    "req.transfer": (
        ["I sent {amount} dollars to a friend and they say it never arrived.", "What's the fee for a transfer to another bank?",
         "What's the daily transfer limit in the mobile app?", "I sent money to the wrong person. Can I get it back?",
         "I need to send tuition money to my daughter studying abroad.", "A remittance I made last week was returned. Why?",
         "How do I set up a recurring transfer to my mother every month?", "My transfer has been showing as processing for two days.",
         "I'd like to raise my transfer limit.", "How long does it take for money to reach a relative in another city?"],
        ["I paid someone at another bank and the money still hasn't shown up on their side.", "What details do you need for an international wire?",
         "I accidentally sent funds to a stranger's account, what can I do?", "What's the difference between instant and standard transfers?",
         "How much does it cost to wire money to Hong Kong?", "How do I move more than fifty thousand in one go?"],
    ),
    "req.card_services": (
        ["I've lost my bank card and want to report it.", "My new card arrived. How do I activate it?", "The ATM kept my card.",
         "I forgot my PIN. Can it be reset?", "My card expires soon. How do I get a new one?", "The magnetic strip is damaged, I need a replacement card.",
         "Could my credit card limit be increased?", "My card was declined abroad. Is it blocked?", "My wallet was stolen with two of your cards in it.",
         "I'd like to close a debit card I don't use."],
        ["I can't find my card anywhere, please freeze it first.", "How do I switch on the credit card that just came in the mail?",
         "I was taking cash at a machine just now and the card never came back out.", "I typed the wrong PIN too many times and the card's locked.",
         "The chip on my card seems broken; I want a new one.", "Do I need to enable overseas use before I travel?"],
    ),
    "req.loans_repayment": (
        ["When will this month's mortgage payment be taken?", "I want to pay off part of my mortgage early. How do I apply?",
         "What's the current interest rate on personal loans?", "Can I move my car loan payment date to the twentieth?",
         "Where is my loan application in the approval process?", "I forgot this month's mortgage payment. What happens now that it's overdue?",
         "What do I need to apply for a small business loan?", "How much principal is left on my loan?",
         "Can a housing fund loan be combined with a commercial loan?", "When will my home improvement loan be paid out?"],
        ["Is there a penalty if I settle the mortgage in full early?", "My monthly installment went up, did the rate change?",
         "I'd like an unsecured personal loan. How much could I borrow?", "If my repayment account is short, will it hurt my credit record?",
         "Could you send me the repayment schedule for my loan?", "Can I switch my repayment method to equal principal?"],
    ),
    "req.wealth_products": (
        ["What investment products do you have at the moment, and what do they return?", "My wealth management product matured. When does the money come back?",
         "I want to redeem my fund units.", "When are this year's government bonds being issued?", "I need to do the risk assessment before buying products.",
         "Why is my product's return lower than advertised?", "Do you have anything low risk that protects the principal?",
         "How do I stop my monthly fund investment plan?", "Can I cancel the insurance policy you sold me?", "What's the price of gold bars, and can I buy them from you?"],
        ["What's the minimum amount for your conservative investment plans?", "I subscribed to a fund last month, why aren't the units confirmed?",
         "Can I take money out of an investment product before it matures?", "I'd like to roll my matured product into the next issue.",
         "My net-value product is showing a loss, how did that happen?", "Is the retirement investment product suitable for a pensioner like me?"],
    ),
    "req.other": (
        ["Is your downtown branch open on weekends?", "I can't log in to the mobile app, it shows a system error.", "What's the dollar exchange rate today?",
         "I'd like to book an appointment at a branch next week.", "Where's the nearest branch?", "I forgot my online banking password, what should I do?",
         "Does your hotline have Mandarin service?", "After the app update I can't find the old menu.", "Do I still need to take a queue ticket at branches?",
         "Do you have any safe deposit boxes available?"],
        ["What time does the Park Road branch close?", "The app crashes as soon as I open it, is something wrong?", "What's the euro rate against the yuan right now?",
         "How do I reserve a time slot at the counter?", "I changed phones, do I have to register the app again?", "Roughly where is your service center located?"],
    ),
    "follow.account_inquiry": (
        ["So who took that money?", "Can the statement be emailed to me?", "How do I get it unfrozen?", "Is interest paid every quarter?"],
        ["Can the statement be stamped by the bank?", "And what's my available balance then?", "Can that fee be waived?"],
    ),
    "follow.bill_payment": (
        ["Do I need the customer number for that?", "Which day of the month is it debited?", "Will the failed payment be refunded?", "Can I get an e-receipt?"],
        ["Where can I find my account number with the utility?", "Will I get a text before it's charged?", "If I used the wrong account number, can I get a refund?"],
    ),
    "follow.transfer": (
        ["So where is the money now?", "Can you recall it?", "Will I get a message when it arrives?", "Is there a cheaper option?"],
        ["How do I check with the other bank?", "Do you need the recipient's bank branch?", "Where do I find the reference number?"],
    ),
    "follow.card_services": (
        ["How much does a replacement cost?", "How soon will the new card arrive?", "Is my money safe after the report?", "Where do I collect the retained card?"],
        ["Will the card number change?", "How long does a temporary block last?", "Do I have to go to a counter to unlock it?"],
    ),
    "follow.loans_repayment": (
        ["How much notice do I need to give for early repayment?", "Will being late show on my credit report?", "How much will the installment drop?",
         "Do I need any more documents before the payout?"],
        ["How is the early repayment fee calculated?", "If I pay now, is it still counted as late?", "Can I see the schedule in the app?"],
    ),
    "follow.wealth_products": (
        ["What risk level is it?", "How long does redemption take?", "Is the return calculated daily?", "What's the minimum investment?"],
        ["What's the shortest term available?", "Does it roll over automatically?", "What if I need the money halfway?"],
    ),
    "follow.other": (
        ["Do I need to bring my ID?", "What are the Sunday hours?", "Do I have to reinstall the app?", "Will I get a confirmation?"],
        ["Is there parking nearby?", "Do I have to visit a branch to update my phone number?", "Are you open in the evening?"],
    ),
    "handle.account_inquiry": (
        ["Your current balance is {amount} dollars.", "That was an automatic debit on {date} for your phone bill.",
         "Your account was dormant, so online transactions were suspended.", "I've emailed the statement to the address on file.",
         "Interest on savings is paid quarterly, on the twentieth of the last month."],
        ["I can see an available balance of {amount} dollars.", "That charge on {date} is the yearly account fee.", "You can request statements in the app or print them at a branch."],
    ),
    "handle.bill_payment": (
        ["In the app, tap Pay Bills and choose the utility.", "The payment failed because the customer number was wrong; the money has been returned.",
         "The direct debit is set up; it will be charged on the {due} of each month.", "Your phone top-up went through.",
         "For the management fee you first need to register your unit number with the building office."],
        ["The payment shows as successful; the utility may not have updated its records yet.", "I've cancelled the automatic payment for you.",
         "Enter your customer number under Pay Bills and it will show the amount due."],
    ),
    "handle.transfer": (
        ["The transfer has left our bank and should arrive within {days} business days.", "Transfers to other banks are free in the mobile app.",
         "Your daily transfer limit is {amount} dollars; a branch can change it.", "For a wrong transfer we can contact the receiving bank, but the recipient must agree to return it.",
         "For an international wire we need the beneficiary's name, account number and SWIFT code."],
        ["It bounced back because the beneficiary name didn't match.", "I've started a trace; the other bank will respond within {days} days.",
         "You can set up a scheduled transfer on the transfer page."],
    ),
    "handle.card_services": (
        ["I've placed a temporary block; please visit a branch within {days} days to complete the report.", "You can activate the new card in the app or by calling the number on the back.",
         "The branch keeps retained cards; just bring your ID to collect it.", "A PIN reset has to be done in person with your ID.",
         "The new card will be posted to you within {days} business days."],
        ["The card is frozen now, nobody can use it.", "I've ordered a replacement with the same number.", "The card locked after too many wrong PINs; it unlocks automatically tomorrow."],
    ),
    "handle.loans_repayment": (
        ["Your mortgage is debited on the {due} of each month; this month it's {amount} dollars.", "Early repayment must be booked {days} days in advance in the app.",
         "Your application is under review; expect a decision within {days} business days.", "If you deposit the full amount now, the system will collect it tonight.",
         "To change the payment date you'll need to visit the branch that handles your loan."],
        ["The remaining principal is {amount} dollars over {months} installments.", "After the first year there's no fee for settling early.", "The rate is reset on the repricing date in your contract."],
    ),
    "handle.wealth_products": (
        ["Matured funds return to your account within {days} business days.", "Your redemption is submitted; it usually settles in {days} days.",
         "We currently have a {months} month conservative product.", "You can complete the risk assessment in the investment section of the app.",
         "It's a net-value product, so returns move with the market."],
        ["Your units will be confirmed after {days} business days.", "This product can't be redeemed early; it has to be held to maturity.", "I've stopped your investment plan."],
    ),
    "handle.other": (
        ["That branch opens nine to five on Saturdays and Sundays.", "Try clearing the app's cache and logging in again.", "Today's dollar selling rate is {rate}.",
         "Your appointment is booked; please arrive on time.", "The nearest branch is on Liberty Road, about ten minutes' walk."],
        ["You can reset the online banking password with the Forgot Password link.", "Updating to the latest version should fix it.", "Our hours are eight thirty to five thirty on weekdays."],
    ),
    # ------------------------------------------------------------------- complaints (inbound)
    "complain.account_inquiry": (
        ["{amount} dollars just disappeared from my account and nobody told me!", "You charge me a maintenance fee every year, and I never agreed to it!",
         "You froze my account without telling me, do you know how much trouble that caused?", "I've asked for last month's statement three times and still nothing!",
         "You got my interest wrong. Can't you even do basic sums?"],
        ["Why am I paying a low balance fee I never signed up for?", "Your system takes money from me at random, it's outrageous.",
         "I had money in the account and you still declined my purchase. It was humiliating.", "My account was suddenly restricted and after five calls nobody has fixed it."],
    ),
    "complain.bill_payment": (
        ["You charged my electricity bill twice! What are you doing?", "My gas payment never reached the company and now they've cut us off!",
         "I cancelled the direct debit and you're still taking money!", "It took me a whole week to pay a water bill through you. Terrible.",
         "You took the money for my phone top-up but the credit never arrived, and your staff told me to ask the carrier."],
        ["I paid the management fee and the building says they never got it. Your system is broken!",
         "The automatic payment didn't go out on time and I got a late fee. Who's paying that?",
         "The school fee payment page keeps throwing errors and my kid's enrollment is at risk.", "The power bill is still showing unpaid even though you took the money ages ago."],
    ),
    "complain.transfer": (
        ["It's been three days and my transfer still hasn't arrived. This is completely irresponsible!", "Your transfer fees are daylight robbery!",
         "My remittance was returned and nobody bothered to tell me!", "Your transfer system keeps failing and I've missed payments because of it.",
         "You cut my transfer limit without any warning. That's unacceptable!"],
        ["The rent I sent has been stuck in processing and my landlord is threatening to evict me!",
         "You took a huge intermediary fee off my overseas wire and never mentioned it!", "I had to go to the branch three times just to move my own money!",
         "Every time you tell me to wait. How much longer, seriously?"],
    ),
    "complain.card_services": (
        ["Your ATM didn't give me the cash but took {amount} dollars from my account!", "The ATM ate my card and the branch says I have to wait a week. Ridiculous!",
         "My new card was supposedly sent a month ago and it never came!", "My card got blocked for no reason and I'm stuck in another city with no cash!",
         "Charging that much for a replacement card is just not fair."],
        ["My card failed at the checkout four times, I was so embarrassed. What kind of card is this?",
         "The machine gave me five hundred short and the branch staff said I must have miscounted!",
         "You slashed my credit limit with no notice at all. That's disrespectful.", "This is my third replacement and it still won't read. What a waste of my time!"],
    ),
    "complain.loans_repayment": (
        ["I paid my mortgage on time and you marked me as late on my credit file!", "The early repayment penalty is huge and nobody explained it!",
         "My loan approval dragged on for two months and I nearly lost the house!", "My installment went up without any notice. That's outrageous!",
         "Your collectors call me every day, they even called my coworkers!"],
        ["You changed my debit date without telling me and now I have a late payment. Who's responsible?",
         "The payout keeps getting delayed and my builders have stopped work!", "The rate discount you promised never happened. Isn't that a scam?",
         "The repayment breakdown doesn't match my contract; you overcharged me interest."],
    ),
    "complain.wealth_products": (
        ["Your advisor said the product was guaranteed and I've lost ten thousand!", "My investment matured and the money still isn't back. I need it!",
         "Your staff bought a fund on my behalf without my consent!", "They promised four percent a year and I'm getting less than two. That's misleading!",
         "Redeeming a simple fund took a whole week. Unbelievable."],
        ["Your teller pushed my elderly mother into a high-risk product and now it's down. Who's accountable?",
         "The insurance was sold to me as a deposit and now cancelling it costs me money. What a rip-off!",
         "The brochure and the actual returns are nowhere close; that's false advertising.", "My advisor left and nobody told me; now there's a problem and no one to call."],
    ),
    "complain.other": (
        ["The teller at your branch was incredibly rude to me.", "I waited forty minutes on your hotline before anyone picked up!",
         "Your app updates every week and every time it stops working. So annoying!", "Two hours in the queue and only one window open. Does anyone care?",
         "Your security guard shouted at an elderly man. Disgraceful."],
        ["The floor manager kept pushing products at me even after I said no. So irritating.", "Your app crashes constantly; I have to retry every transfer.",
         "The branch was supposed to open at nine and at nine thirty we were still waiting outside.", "I got passed between three people and had to repeat myself every time."],
    ),
    "complain.react": (
        ["That's way too slow!", "You always say that. When will it actually be fixed?", "You keep passing the buck.", "I don't want excuses, I want results.",
         "I'm not satisfied with that.", "Why didn't anyone do this earlier?", "And who pays for my losses?", "Your service is really disappointing."],
        ["So once again I just have to wait. Unbelievable.", "That answer simply isn't acceptable.", "Your efficiency is shockingly poor.",
         "Same old script, I've heard it a hundred times.", "Why should the customer pay for your mistakes?"],
    ),
    "complain.resigned": (
        ["Fine, I'll wait for your call, but don't drag it out.", "Alright, I hope it's really sorted this time.", "Then hurry up, I'm waiting.", "Forget it, let's leave it there for now."],
        ["I'll give you one more chance.", "Okay, but I need an exact date.", "I'll accept that for now, just be quick."],
    ),
    "escalate": (
        ["If you don't fix this, I'm reporting you to the banking regulator!", "Put your manager on the phone, I'm done talking to you!",
         "I want to speak to your supervisor right now!", "I've recorded this call and I'm going to the press tomorrow!",
         "If I don't get a refund I'll take you to court.", "You're crooks, and I'm reporting this to the financial authorities!",
         "Have a supervisor call me back immediately or I go straight to the regulator.", "I am absolutely furious. I'll post all of this online!",
         "My lawyer will be in touch, you can expect a letter.", "Get me someone senior, you clearly can't handle this!"],
        ["I'm filing a report with the central bank about this.", "Transfer me to whoever is in charge, I want answers from them.",
         "I'll contact the consumer protection agency and the financial ombudsman.", "I'm calling a journalist; everyone should know how you treat customers.",
         "If this isn't sorted I'm calling the police. This is basically fraud.", "I refuse to deal with you, find someone who can actually decide!"],
    ),
    # ------------------------------------------------------------------ suggestions / praise
    "suggest": (
        ["I'd suggest adding a spreadsheet export for transaction history in the app.", "It would help if branches opened more counters on weekends.",
         "Your phone menu is far too long; let people reach a person directly.", "Could the recipient also get a text when a transfer goes through?",
         "Maybe make a large-font version of the app for older customers.", "Bill reminders should come three days early, not on the due date.",
         "I think the app's text could be bigger.", "Branches could add some seats reserved for elderly customers.",
         "It'd be much easier if I could book a queue number in the app.", "I recommend offering live agents on the hotline at night too."],
        ["It would be nice to customise the shortcuts on the app home screen.", "If the self-service machines did more, the counters wouldn't be so busy.",
         "You might consider a dialect service line for migrant workers.", "Statements could be emailed automatically every month instead of on request.",
         "Please put all your fees on the home page so people can see them easily.", "The risk notes on investment pages should be in plain language."],
    ),
    "praise": (
        ["The young man at your Riverside branch was so patient, he spent the whole morning helping my father.",
         "The agent who took my call last time was really professional and fixed everything quickly.",
         "Your branch manager saw I was on crutches and filled in the forms for me. So thoughtful.",
         "I'd like to commend your teller, her service was outstanding.", "Your new app version is great, much easier than before.",
         "The advisor explained everything clearly and never pressured me.", "Your staff stayed after closing to finish my paperwork. I was touched.",
         "Your security guard helped me find my lost wallet yesterday, he deserves recognition.",
         "You explained that better than anyone at the branch, thank you, you're brilliant.", "I'm really impressed with how fast you handled my issue."],
        ["A teller called Grace at your East Gate branch was quick and kind; please pass on my thanks.",
         "Your phone staff are always so courteous, it's a pleasure to call.", "I lost my card last week and you replaced it in half a day, that's impressive.",
         "Honestly, your service today was top notch, five stars from me.", "Someone from your branch walked me to my car with an umbrella in the rain. Rare these days!",
         "Your manager called me personally to follow up. I really appreciated that."],
    ),
    # ---------------------------------------------------------------- outbound: marketing
    "mk.intro": (
        ["Hello, this is {agent} from {bank}, agent {job}. Please note this call is recorded.", "Hi, {agent} calling from {bank}, agent {job}; this call may be recorded.",
         "Good afternoon, {bank} customer center, my name is {agent}, agent {job}. The call is being recorded.",
         "Am I speaking with {title}? This is {agent} at {bank}, agent {job}; this call is recorded."],
        ["Hello {title}, I'm {agent}, a financial adviser with {bank}, agent {job}. This call is recorded for quality.",
         "Hi, sorry to interrupt, {agent} from {bank}, ID {job}, and just so you know the call is being recorded.",
         "Hello, it's {bank} calling, agent {job}, {agent} speaking. This conversation may be recorded."],
    ),
    "pitch.wealth_products": (
        ["We've launched a {months} month conservative investment product with a benchmark return of {rate} percent. May I tell you about it?",
         "Our retirement investment product is on sale now, from ten thousand. Would you be interested?",
         "Your fixed deposit matures soon, and we have a net-value product with a higher return you could consider.",
         "A bond fund we distribute has been doing well lately and I'd like to recommend it."],
        ["We have a medium-low risk product, {months} months, paying noticeably more than a savings account. Can I walk you through it?",
         "There's a new fixed income issue this week with limited quota; would you like to put some money in?",
         "Your current investment is maturing, and there's a similar new product you could roll into."],
    ),
    "pitch.card_services": (
        ["You've been pre-approved for a platinum credit card with no annual fee in the first year. Would you like one?",
         "Your debit card can be upgraded to a chip card free of charge.", "We have a co-branded credit card with cashback on fuel."],
        ["You can apply for our travel credit card for free, with double points on overseas spending.",
         "Our system shows you qualify for a higher credit limit; I can raise it for you."],
    ),
    "pitch.loans_repayment": (
        ["You're pre-approved for a personal loan of up to {amount} dollars at {rate} percent a year.",
         "We have a promotion on mortgage refinancing and wanted to see if you're interested.",
         "As a valued customer you can apply for a business loan without collateral."],
        ["We offer a renovation installment loan at a good rate. Are you planning any home improvements?",
         "I'm calling to introduce our online credit loan, which you can complete entirely on your phone."],
    ),
    "pitch.bill_payment": (
        ["You can sign up for automatic payment of water, power and gas, so you never have to pay them by hand again.",
         "We're offering automatic bill payment with a phone credit voucher in the first month."],
        ["I'd like to recommend our bill manager service, which pays each bill automatically when it's due.",
         "If you link our bill pay service, your management fee and electricity can all be paid automatically."],
    ),
    "mk.risk": (
        ["I should mention that investment products carry risk and are not deposits.", "It's medium-low risk, and investment products carry risk and are not deposits.",
         "Please be aware the principal isn't guaranteed and past returns don't predict future ones."],
        ["As required, I must remind you that investment products carry risk and are not deposits.", "Just so you know, returns aren't guaranteed and you could lose some principal."],
    ),
    "mk.optout": (
        ["If you prefer not to receive such calls, just let us know.", "If you'd rather not get these calls in future, I can register that for you."],
        ["Should you not want us to call again, just say so and I'll note it.", "If you don't wish to receive offers like this, we can remove you from the list."],
    ),
    "mk.question": (
        ["Do I have to go to a branch?", "What documents do you need from me?", "Do I have to sign at a branch?", "Is there a handling fee?",
         "How is it different from the one I have?", "How long does it take to set up?"],
        ["Are there any hidden charges?", "Can I do it on my phone?"],
    ),
    "mkq.wealth_products": (
        ["Is it risky?", "Can I take the money out any time?", "What's the minimum?", "Is the principal protected?", "Is the return fixed?",
         "Can I redeem it halfway?"],
        ["Is it better than a fixed deposit?", "Can I get out before the end?", "What if it loses money?"],
    ),
    "mkq.card_services": (
        ["Is there an annual fee?", "What's the highest limit I could get?", "How is the annual fee charged?", "Do purchases earn points?"],
        ["Is the limit fixed?", "Does it need switching on to use abroad?"],
    ),
    "mkq.loans_repayment": (
        ["How is the interest worked out?", "Is the rate fixed or variable?", "Do I need collateral?", "What's the longest term?"],
        ["Is there a penalty for repaying early?", "How soon is the money paid out?"],
    ),
    "mkq.bill_payment": (
        ["Will you tell me before each debit?", "What happens if my balance is short?", "Can I cancel any time?"],
        ["Can I choose the debit day?", "Can water, power and gas all be linked?"],
    ),
    "mk.answer": (
        ["You can do it all in the mobile app, it's very easy.", "There's no fee, it's all online.", "All we need is your ID."],
        ["It can be done online in a few minutes.", "No branch visit needed, your phone is enough."],
    ),
    "mka.wealth_products": (
        ["It's medium-low risk, but the principal isn't guaranteed.", "Returns accrue daily and are paid at maturity.", "The minimum is ten thousand."],
        ["It can't be redeemed early; it's held to maturity.", "Its value has moved a little in the past."],
    ),
    "mka.card_services": (
        ["No fee in year one, and it's waived after six purchases.", "The limit depends on your assets.", "Spending earns points you can swap for gifts."],
        ["Overseas use just needs switching on in the app.", "The limit is reviewed as you use the card."],
    ),
    "mka.loans_repayment": (
        ["No collateral needed, it's based on your credit.", "The rate is fixed for the term of the contract.", "You can borrow for up to five years."],
        ["After a year there's no fee for repaying early.", "Once approved, the money arrives the same day."],
    ),
    "mka.bill_payment": (
        ["We text you the day before each debit.", "If the balance is short, we try again the next day.", "You can cancel it in the app at any time."],
        ["You can pick the debit day yourself.", "Water, power and gas can all be linked together."],
    ),
    "mk.accepted": (
        ["Sounds good, sign me up.", "Okay, I'll put in {amount} to start.", "Sure, send me the steps and I'll do it today.", "Alright, let's do it. What do I need to do?",
         "Actually I need exactly that, yes please.", "That's a good deal, I'll take it.", "Go ahead and register me, I want it.", "Fine, I'll apply."],
        ["Deal, let's go with that.", "I've thought about it, I'll buy one.", "Yes, I could use that, please set it up.", "No problem, text me and I'll confirm.",
         "Okay, count me in for the promotion."],
    ),
    "mk.declined": (
        ["No, thank you.", "I'm not interested in that sort of thing.", "Money's tight right now, I can't invest.", "No thanks, I already have one with another bank.",
         "I won't, and please don't offer me these again.", "Not at the moment, thanks.", "No, no, I never touch these.", "Forget it, I don't want a loan."],
        ["I have no plans for that, no need to explain.", "Thanks, but it's no use to me.", "I never sign up for these, try someone else.",
         "My family doesn't want me buying these, so no.", "Sorry, not interested."],
    ),
    "mk.callback": (
        ["I'm in a meeting, call me later.", "I'm driving, call me tomorrow.", "I need to talk it over with my family, get back to me in a few days.",
         "Now isn't a good time, maybe this afternoon.", "Send me the details first and I'll reply when I've read them.", "Let me think, call me back next week.",
         "I'm outside and the signal is bad, another day.", "Ring me after work."],
        ["I'm busy right now, can we do this in a couple of days?", "Try me on the weekend, I'll have time then.", "Let me think about it, call me again later.",
         "I can't talk at work, after seven tonight please.", "I have to check with my husband, call the day after tomorrow."],
    ),
    "mk.callback_reply": (
        ["Sure, I'll call you again in {days} days.", "No problem, I'll try you at another time."],
        ["Of course, let's find a better time to talk.", "Noted, I'll ring you then."],
    ),
    "mk.accept_reply": (
        ["Great, you'll get a text shortly; just follow the steps to confirm.", "Done, a specialist will contact you to complete it."],
        ["Great, the application link is on its way to your phone.", "Got it, I'm submitting it now, watch for a text."],
    ),
    "mk.decline_reply": (
        ["Understood, sorry to bother you.", "Okay, I've noted that you don't want offers."],
        ["No problem, I won't keep you.", "Of course, I respect that."],
    ),
    "mk.closing": (
        ["Thank you for your time, goodbye.", "I won't take more of your time, goodbye."],
        ["Thanks for picking up, bye.", "Have a good day, goodbye."],
    ),
    # ------------------------------------------------------------------ outbound: not reached
    "nr.wrong_person": (
        ["Wrong number, I'm not {title}.", "There's nobody here by that name, you've got the wrong number.", "I don't know any {title}, I just got this number.",
         "Wrong number."],
        ["This number has a new owner, the person you want isn't here.", "Who? No one in this house has that name.", "That's not me, your records are wrong."],
    ),
    "nr.family": (
        ["He's not home, he left his phone here.", "I'm her daughter, my mom is out.", "He's on a business trip, you won't reach him this week."],
        ["I'm his wife, he's in hospital and can't come to the phone.", "She's at work and forgot her phone."],
    ),
    "nr.machine": (
        ["The number you have dialed is not available, please try again later.", "The subscriber you are calling is switched off.",
         "The number you dialed does not exist, please check and dial again."],
        ["Sorry, the line is busy.", "The person you are calling cannot answer right now, please try later."],
    ),
    "nr.agent_hello": (
        ["Hello, can you hear me?", "Hello? Is this {title}?", "Hello? Hello?"],
        ["Hi, are you there? Can you hear me?", "Hello, anyone there?"],
    ),
    "nr.agent_end": (
        ["Okay, sorry to bother you, goodbye.", "Apologies for the trouble, bye.", "I'll try again later."],
        ["Sorry for the interruption.", "Alright, we'll call another time, goodbye."],
    ),
    # ---------------------------------------------------------------- outbound: return visit
    "rv.intro": (
        ["Hello, this is {agent} from the {bank} service center, agent {job}. Am I speaking with {title}?",
         "Hi {title}, {agent} from {bank} customer follow-up, agent {job}.", "Hello, {bank}, {agent} here, agent {job}. Is this {title}?"],
        ["Good morning, sorry to disturb you, I'm {agent} from {bank} service quality, agent {job}, looking for {title}.",
         "Hello {title}, {agent} calling from {bank}, agent {job}."],
    ),
    "rv.yes": (
        ["Yes, that's me. What's it about?", "Yes, speaking.", "Sure, go ahead."],
        ["That's me, what's up?", "Yes, please go on."],
    ),
    "rv.purpose.account_inquiry": (
        ["You checked your account history at our branch last week, so this is a short follow-up.", "You called about a charge on your account recently; we're following up on how it was handled."],
        ["You updated and reviewed your account details recently, and we'd like to hear about your experience.", "Following up on the balance question you raised last time."],
    ),
    "rv.purpose.bill_payment": (
        ["You recently set up automatic utility payments, so this is a follow-up call.", "The failed bill payment you reported last week has been fixed; we're following up."],
        ["About the bill pay service you signed up for, could I have one minute for a follow-up?", "You asked about gas bill direct debit earlier; how is it working for you?"],
    ),
    "rv.purpose.transfer": (
        ["You reported a transfer that hadn't arrived, and we're following up on it.", "You sent an international wire last week; this is a follow-up call."],
        ["About your recent interbank transfer trace, we'd like to confirm the result with you.", "We're following up on the transfer error case you opened."],
    ),
    "rv.purpose.card_services": (
        ["You had a replacement card issued at our branch last week; this is a follow-up.", "You set up a credit card installment plan recently and we'd like your feedback."],
        ["You reported a lost card and got a new one; we're checking how that went.", "About activating your new credit card, this is a quick follow-up."],
    ),
    "rv.purpose.loans_repayment": (
        ["Your mortgage was paid out last week, so this is a follow-up call.", "You applied for early repayment recently, and we'd like to know if it went smoothly."],
        ["About your new personal loan, may I take a minute for a follow-up?", "You changed your repayment date last month; this is a service follow-up."],
    ),
    "rv.purpose.wealth_products": (
        ["You recently bought an investment product with us, this is the post-sale follow-up.", "You bought a fund through our adviser last week; this call is to confirm a few things."],
        ["Regarding the investment product you subscribed to a few days ago, this is a routine follow-up.", "You just took out an insurance product; we're following up on the sale."],
    ),
    "rv.question": (
        ["How satisfied were you with the service?", "Would you say you were satisfied, neutral or dissatisfied with our staff?", "Were you happy with the whole process?",
         "Could you rate your experience this time?"],
        ["How did you find the service?", "Please give us your opinion of how it was handled.", "Were you pleased with the way it went?"],
    ),
    "rv.satisfied": (
        ["Very satisfied, it was quick.", "Satisfied, the staff were friendly.", "Great, no problems at all.", "Extremely satisfied, well done.", "Good, very attentive service.",
         "It was good, they explained it clearly.", "Happy with it, smoother than I expected.", "Totally satisfied, thanks for asking."],
        ["Couldn't fault it.", "I thought it was excellent, very efficient.", "Really pleased, I'll come back to you.", "All good, thank you.", "Lovely service, I'm happy."],
    ),
    "rv.neutral": (
        ["It was okay, I guess.", "Fine, though the wait was a bit long.", "So-so.", "Neither good nor bad.", "It did the job, that's all.", "Average, nothing special."],
        ["Alright, I suppose.", "Pretty ordinary, no strong feelings.", "It was passable.", "About what I expected, normal."],
    ),
    "rv.dissatisfied": (
        ["Not really satisfied, I had to go back several times.", "Dissatisfied, the staff were cold.", "Bad, I waited two hours.", "Not happy, it was supposed to take three days and took a week.",
         "Honestly disappointed, the problem still isn't fully solved.", "Dissatisfied, way too much paperwork.", "Very unhappy, they kept trying to sell me things.",
         "Poor, the explanation was a mess."],
        ["I'm quite unhappy, everyone told me something different.", "Awful experience, I won't go back to that branch.", "Not satisfied, nobody told me the result.",
         "Bad review from me, the staff were impatient.", "Not good, very slow."],
    ),
    "rv.thanks": (
        ["Thanks for the feedback, we'll keep it up.", "Thank you for your rating."],
        ["Thanks, glad to hear it.", "Thank you, we'll keep doing our best."],
    ),
    "rv.sorry": (
        ["I'm sorry, I'll pass that to the branch manager.", "Sorry we didn't meet your expectations; we'll improve."],
        ["I apologise for that experience, I've noted it.", "Sorry about that, your comments will go to the team concerned."],
    ),
    "rv.closing": (
        ["Thank you for your time, goodbye.", "Thanks for your help, bye."],
        ["I won't keep you any longer, goodbye.", "Thanks for taking the call, bye."],
    ),
    # ------------------------------------------------------------ outbound: repayment reminder
    "rr.intro": (
        ["Good morning, this is {agent} from {bank}'s loan center, agent {job}. Am I speaking with {title}?",
         "Hello, {bank} credit department, {agent}, agent {job}. Is this {title}?", "Hello {title}, this is {agent} from {bank}, agent {job}."],
        ["Hi, {bank} loan servicing, agent {job}, {agent} speaking, may I speak to {title}?", "Hello, {bank}, agent {job}. Are you {title}?"],
    ),
    "rr.verify": (
        ["To protect your account, could you confirm the last four digits of your ID?", "Please confirm the last four digits of your ID."],
        ["Could you verify the ending four digits of your ID first?", "I need to check it's you: last four of your ID, please."],
    ),
    "rr.id": (
        ["It's {digits}.", "{digits}."],
        ["Ends in {digits}.", "Sure, {digits}."],
    ),
    "rr.amount": (
        ["This is a reminder that your loan payment of {amount} dollars is due on {date}. Please make sure the funds are in place.",
         "Your mortgage installment of {amount} dollars is due on {date}.", "Your personal loan needs {amount} dollars by {date}, and the account balance is currently short.",
         "Just a reminder that the car loan payment of {amount} dollars is due on {date}."],
        ["Your business loan installment of {amount} dollars will be collected on {date}; please keep enough in the account.",
         "I'm confirming that {date} is your due date, for {amount} dollars.", "Your loan installment of {amount} dollars is now due, deadline {date}."],
    ),
    "rr.promise": (
        ["Okay, I'll deposit it before Friday.", "Got it, I'll pay tomorrow.", "Sure, as soon as my salary comes in.", "Okay, I'll transfer it today.",
         "Don't worry, it won't be late.", "Yes, I remember, I'll pay before the due date.", "Fine, I'll put the money in this afternoon.", "Understood, I'll pay on time."],
        ["Sure thing, I'll send it in the next couple of days.", "Right, it'll be there before the end of the month.", "Just saw your text, I'll transfer tonight.",
         "Okay, I'll take care of it right away, thanks for reminding me.", "No problem, definitely before {date}."],
    ),
    "rr.dispute": (
        ["I already paid that last week, why are you reminding me?", "That loan isn't mine, you've made a mistake.", "The amount is wrong, I worked it out as half that.",
         "I settled the loan early, how can I still owe anything?", "That interest doesn't match my contract, I don't accept it.", "I paid ages ago, check your own records.",
         "I dispute this amount; it needs to be checked first.", "I've never taken a loan from your bank."],
        ["That's impossible, I paid it off in the app two days ago.", "Those numbers look wrong, I want to see the breakdown.", "I never borrowed that much, you have the wrong person.",
         "You already took that payment last time; this is a double charge.", "Why should I pay penalty interest? I don't agree."],
    ),
    "rr.promise_reply": (
        ["Great, thank you for your cooperation.", "Okay, if you have questions you can call our hotline."],
        ["Thank you, paying on time keeps your credit record clean.", "Alright, I've made a note."],
    ),
    "rr.dispute_reply": (
        ["I understand. I'll check the payment record and get back to you within {days} business days.", "Okay, I've recorded your dispute and someone will review it with you."],
        ["Understood, I'm raising a check now and will let you know the result.", "I'll log this and call you back once it's verified."],
    ),
    "rr.closing": (
        ["Thank you for your time, goodbye.", "I won't keep you, goodbye."],
        ["Thanks for your time, bye.", "Have a nice day, goodbye."],
    ),
    # ------------------------------------------------------ outbound: customer raises a complaint
    "ob.complaint": (
        ["You call me several times a day, it's harassment and I'm filing a complaint!", "Actually, the teller I dealt with was awful and I want to complain about her.",
         "You were so slow with this, I'm very unhappy and want to lodge a formal complaint."],
        ["These sales calls keep waking me up, I'm going to report it.", "I need to raise something: the branch manager yelled at me and that must be dealt with."],
    ),
}

NAMES: tuple[list[tuple[str, str]], list[tuple[str, str]]] = (
    [("John Carter", "Mr. Carter"), ("Mary Evans", "Ms. Evans"), ("Peter Hughes", "Mr. Hughes"), ("Susan Reed", "Ms. Reed"),
     ("Daniel Cook", "Mr. Cook"), ("Karen Bell", "Ms. Bell"), ("Mark Price", "Mr. Price"), ("Helen Ward", "Ms. Ward"),
     ("Steven Gray", "Mr. Gray"), ("Laura King", "Ms. King"), ("Paul Young", "Mr. Young"), ("Nancy Hill", "Ms. Hill")],
    [("George Adams", "Mr. Adams"), ("Rachel Moore", "Ms. Moore"), ("Victor Lopez", "Mr. Lopez"), ("Diana Ross", "Ms. Ross"),
     ("Frank Wood", "Mr. Wood"), ("Olivia Shaw", "Ms. Shaw"), ("Henry Fox", "Mr. Fox"), ("Irene Lane", "Ms. Lane")],
)
AGENTS: tuple[list[str], list[str]] = (["Anna", "Tom", "Lucy", "Ben", "Kate", "Sam"], ["Nina", "Eric", "Julia", "Oscar"])
BANKS: tuple[list[str], list[str]] = (
    ["Construction Bank", "Harbor Bank", "Pacific Trust Bank", "Union Savings Bank"],
    ["Meridian Bank", "Northgate Bank", "Crescent Bank"],
)

#: More paraphrases, added to the halves above (the classes with few carriers need them most).
_MORE: dict[str, Pool] = {
    "suggest": (
        ["You could add a button in the app to freeze a card instantly.", "The transfer screen should show the fee before I confirm.",
         "Please keep a counter open at lunchtime; that's the only time office workers can come.",
         "I'd stop putting links in your text messages, older people can't tell them from scams.",
         "A dedicated line for elderly callers would make a big difference.", "Could customers choose their own credit card statement date?",
         "Send people a text when their queue number is close, so they don't have to wait in the hall.",
         "One piece of feedback: the online banking code expires too fast, make it a bit longer.",
         "The instructions on the self-service machines could be simpler.", "Investment pages would be better with a chart of past returns.",
         "It would be handy to export payment history by year.", "Why not let people check their balance from a messaging app?",
         "Your branch entrance really needs a wheelchair ramp.", "A dark mode in the app would be easier on the eyes at night.",
         "Replacement cards could simply be mailed home.", "Maybe offer video calls with an agent like some other banks do.",
         "Opening an account as a non-local should take fewer documents.", "Short videos in the app for common questions would save everyone a call.",
         "Could you remind people one day before the repayment date too?", "I'd put a water dispenser in the waiting area."],
        ["Could the app show all my cards' balances on one screen?", "The queue display at branches could show the expected wait.",
         "The hold music on your hotline is loud; something softer would be nicer.", "Let us book foreign currency online and pick it up at the branch."],
    ),
    "opener.suggestion": (
        ["Hi, I'm calling to offer a little feedback.", "Hello, I've got an improvement I'd like to pass on.", "Hi, just some ideas on your service."],
        ["Hi, I had a thought that might help you."],
    ),
    "praise": (
        ["The teller at your Lakeside branch smiled the whole time and made it so pleasant.",
         "Your agent helped me recover money I sent by mistake, and I've wanted to thank her ever since.",
         "My adviser, Mr. Sun, is so conscientious, he always reminds me before my products mature.",
         "I want to praise your security guard, he held an umbrella for me in the pouring rain.",
         "Your staff came to our home to help my bedridden father with his banking. So kind.",
         "The new voice menu is great, it put me straight through to a person.",
         "Your floor manager showed me step by step how to use the machine. Lovely man.",
         "The agent who handled my lost card was fast and careful, I'm really grateful.",
         "You dealt with my problem really promptly this time, well done.", "The teller at counter eight was so skilled, done in ten minutes.",
         "Your staff are so patient with older people, my mum always says so.", "You called me that late just to let me know, that's real dedication.",
         "Your relationship manager saved me a fee without me even asking, much appreciated.",
         "Honestly, your team gives the best service I've had anywhere.", "Your staff ran after me to return the wallet I left at the counter. Thank you!",
         "That branch is clean and the staff are lovely, full marks."],
        ["I'd like to thank your phone team; even late at night someone patiently answered me.",
         "The young man at your branch kindly set up the whole app for me.",
         "Your teller spotted that someone was scamming me and stopped the transfer. I can't thank her enough.",
         "I was genuinely touched by the service this time and had to tell you."],
    ),
    "opener.praise": (
        ["Hi, I want to single someone out for praise.", "Hello, I'm just calling to say thanks.", "Hi, I'm very happy with your service and wanted to tell you."],
        ["Hi, I'd just like to say something nice about your staff."],
    ),
    "complain.react": (
        ["You're just fobbing me off.", "This is the third time, why isn't it fixed?", "Every call I get the same answer and I've had enough.",
         "Can you take some responsibility?", "That's a lot of words for nothing.", "I'm not happy with that attitude."],
        ["Handling it like this is really disheartening."],
    ),
    "rv.yes": (
        ["Sure, go on.", "It's me, what's it about?", "Yes, I'm listening."],
        ["Yes, that is me."],
    ),
    "ack.positive": (
        ["Great, thank you so much.", "Okay, that was really clear, thanks.", "That's great, thanks for your trouble.", "That's all sorted, thanks for your help."],
        ["Right, that's much clearer now, thanks."],
    ),
    "follow.generic": (
        ["What should I prepare?", "How long until I hear back?", "Is there a limit on how often?", "Can it be done at the weekend?"],
        ["Will you let me know when it's done?"],
    ),
}
for _key, (_train, _test) in _MORE.items():
    POOLS[_key][0].extend(_train)
    POOLS[_key][1].extend(_test)

_MORE_BUSINESS: dict[str, list[str]] = {
    "req.account_inquiry": ["Could you tell me how much came into my account this month?", "How much do I have in savings versus checking?",
                            "Why is my available balance different from my ledger balance?", "There was a deposit last Friday, who sent it?",
                            "I'd like to check the details registered on my account.", "Am I being charged for text alerts?"],
    "req.bill_payment": ["I want to pay my parents' electricity bill; I have their account number.", "This month's gas wasn't debited, is the direct debit broken?",
                         "The building office says to pay the service charge through the bank, how?", "Did last month's water bill go through?",
                         "I'd like automatic phone top-ups whenever my credit drops below fifty.", "Can I pay my kid's nursery fees in the app?"],
    "req.transfer": ["I need to send money to my daughter's account at another bank.", "The money I just sent hasn't shown up, can you trace it?",
                     "What's the maximum for a cross-border remittance?", "I want to cancel a transfer that hasn't arrived yet.",
                     "I misspelled the recipient's name on a transfer, what happens now?", "Anything I should know before paying a company account?"],
    "req.card_services": ["I can't find my debit card, I may have left it in a taxi.", "I'd like to change the PIN on my card.",
                          "The signature strip on my card has worn off, do I need a new one?", "My credit card arrived, how do I set a transaction PIN?",
                          "My card won't work at the supermarket, it says card status abnormal.", "I'm travelling abroad, can I withdraw cash with my card there?"],
    "req.loans_repayment": ["Can I defer next month's mortgage payment?", "What are your rates for a home equity loan?",
                            "I'd like to pay off the remaining installments on my car loan in one go.", "This month's loan debit failed, how do I make it up?",
                            "I want to apply for an education loan for my son's tuition.", "When will the loan money land in my account?"],
    "req.wealth_products": ["Do you have any shorter-term investment products at the moment?", "Can I sell my fund units today?",
                            "What's the rate on large certificates of deposit now?", "When does my investment product pay out its return?",
                            "I want to move part of my savings into a conservative product.", "How are fund dividends paid to me?"],
    "req.other": ["What are your branch hours over the holidays?", "The app wants face recognition to log in and it keeps failing.",
                  "What's the yen rate today?", "I'd like to book a slot tomorrow morning to get a certificate.",
                  "Do you offer home visits? My elderly mother can't get out.", "Can I get small change at a branch?"],
    "complain.account_inquiry": ["You took some mysterious service fee out of my account and I want an explanation!",
                                 "You keep delaying the statement I asked for, when will I actually get it?",
                                 "My salary came in but your system says it didn't, so my card payment bounced!",
                                 "You froze my account for two weeks and nobody told me why!"],
    "complain.bill_payment": ["My water bill was paid twice and the money still hasn't come back!", "You keep changing the gas debit date and now they've cut us off!",
                              "My phone top-up was charged twice and your staff just blamed the carrier!", "The service charge payment is stuck on processing and I've got a final demand!"],
    "complain.transfer": ["The payment to my supplier is two days late and it's costing me business!", "Your cross-border wire charged me three separate fees without telling me!",
                          "My transfer was blocked for no reason and nobody will explain!", "I asked to cancel a transfer a week ago and nothing's happened!"],
    "complain.card_services": ["Two weeks to replace a card? That's pathetic!", "Someone maxed out my card at a mall, your fraud checks are useless!",
                               "You promised no annual fee and still charged it!", "The ATM swallowed my card and the branch says head office has to handle it. Absurd!"],
    "complain.loans_repayment": ["My early repayment request has been rejected several times with no reason!", "Rates went down but you never adjusted my mortgage!",
                                 "I paid off the loan and my credit report still shows a debt, it's wrecking my house purchase!",
                                 "Your people sent debt reminders to my parents' phones, that's out of line!"],
    "complain.wealth_products": ["The fund your adviser pushed is down thirty percent and nobody mentioned risk!", "My product was rolled over automatically without my knowledge!",
                                 "The redemption came a week late and I missed my down payment!", "The insurance terms are nothing like what I was told!"],
    "complain.other": ["Your hotline was busy a dozen times before I got through!", "Your teller was playing on her phone while serving me, so disrespectful!",
                       "After the app redesign I can't find anything, it's awful to use!", "The floor manager ignored me and got impatient when I asked a question!"],
    "handle.transfer": ["I've checked, the remittance has reached the receiving bank and is waiting to be credited.", "The cancellation is submitted; the funds will come back to you."],
    "handle.account_inquiry": ["That charge is the two-dollar monthly text alert fee.", "Your time deposit balance is {amount} dollars, separate from checking."],
}
for _key, _extra in _MORE_BUSINESS.items():
    POOLS[_key][0].extend(_extra)

_MORE_TOPICS: dict[str, list[str]] = {
    "pitch.wealth_products": ["We have an enhanced fixed income product this round with steady past performance; may I recommend it?",
                              "Have you considered a monthly fund investment plan? You can start with a few hundred.",
                              "There's a three month short-term investment product with good liquidity, would you be interested?",
                              "We're selling this year's savings bonds, which pay a bit more than a fixed deposit."],
    "pitch.card_services": ["We've launched a business travel credit card with free airport lounge access; would you like to apply?",
                            "Your card can be upgraded to gold for free, with extra benefits.", "If you take our credit card now, your first purchase earns a hundred dollar discount.",
                            "Your debit card can get fee-free cash withdrawals abroad."],
    "pitch.loans_repayment": ["Your housing fund record is excellent, so you qualify for our housing fund credit loan.",
                              "We have a car financing loan at a great rate; are you planning to buy a car?",
                              "Your mortgage could be moved to a lower rate; let me explain.", "Our personal consumer loan has twenty percent off the first interest payment right now."],
    "pitch.bill_payment": ["You could have your gas and water paid automatically when they're due, so you never forget.",
                           "Sign up for automatic phone top-ups and get a monthly top-up discount.", "Your building service charge can be paid by direct debit every quarter through our app.",
                           "We've just launched school fee payments, so you can pay your child's school directly."],
    "rv.purpose.account_inquiry": ["The account history you asked us to print is ready; we're checking you received it.",
                                   "About the account maintenance fee you raised last week, this is a follow-up.",
                                   "You turned on account activity alerts in the app recently; how are you finding them?"],
    "rv.purpose.bill_payment": ["You started automatic phone top-ups last month; is everything working?", "The duplicate electricity charge you reported has been refunded; this is a follow-up.",
                                "About the service charge direct debit you signed up for, this is a quick follow-up."],
    "rv.purpose.transfer": ["The transfer you cancelled has been returned; we're calling to confirm.", "Your overseas wire arrived last week; how did you find the process?",
                            "About your request to raise your transfer limit, this is a follow-up."],
    "rv.purpose.card_services": ["You asked for a higher credit limit recently; this is a follow-up on that.", "You collected your retained card at the branch; how was it?",
                                 "You had your PIN reset last week; this is a follow-up call."],
    "rv.purpose.loans_repayment": ["Your car loan was paid off last week; this is a follow-up call.", "About the payout of your renovation loan, this is a follow-up.",
                                   "You asked about adjusting your mortgage rate and it's done; we'd like your feedback."],
    "rv.purpose.wealth_products": ["The fund you redeemed last week has settled; this is a follow-up.", "You did a risk assessment and bought a product at the branch; did the staff explain the risks clearly?",
                                   "About the investment product you rolled over, this is a routine follow-up."],
    "handle.account_inquiry": ["That deposit came from an account ending 3321.", "Your account status is normal and you can transact as usual.",
                               "I've requested three months of history; you can print it in three business days."],
    "handle.bill_payment": ["Your electricity account owes {amount} dollars; you can pay it now.", "The duplicate water payment is being refunded within {days} business days.",
                            "Automatic top-up is on; it adds credit when your balance drops below fifty."],
    "handle.transfer": ["The transfer has been returned to your account.", "I've temporarily raised your daily transfer limit to fifty thousand.",
                        "If the name doesn't match, the money comes back within {days} days."],
    "handle.card_services": ["A new PIN has to be set at a counter or in the app.", "Your card is fine; it may be the merchant's terminal.", "I've enabled cash withdrawals abroad."],
    "handle.loans_repayment": ["This month's installment has been collected.", "A deferral needs an application and approval first.", "Your approved loan amount is {amount} dollars."],
    "handle.wealth_products": ["This product is risk level two, a conservative one.", "Fund dividends are paid straight to your card.", "The three year certificate of deposit pays {rate} percent."],
    "handle.other": ["Over the holidays branches are open until three in the afternoon.", "If face recognition fails, log in with a text code instead.",
                     "Our branches change small notes if you book a day ahead."],
    "follow.account_inquiry": ["Can that money be refunded?", "How long will the statement take to print?"],
    "follow.bill_payment": ["Will it pay every month automatically from now on?", "Can the late fee be waived?"],
    "follow.transfer": ["How many days until it comes back?", "What's the fee for the transfer?"],
    "follow.card_services": ["Does the new card keep the old number?", "Is there a cap on cash withdrawals abroad?"],
    "follow.loans_repayment": ["How is the interest calculated?", "Can the penalty be paid in installments?"],
    "follow.wealth_products": ["When does the return get paid?", "Has this product ever lost money?"],
    "follow.other": ["How far ahead do I need to book?", "Is there another way to log in?"],
    "rr.amount": ["Your home loan installment this period is {amount} dollars, collected on {date}; please check your balance.",
                  "Your credit loan matures on {date} and {amount} dollars is due."],
}
for _key, _extra in _MORE_TOPICS.items():
    POOLS[_key][0].extend(_extra)

#: Acknowledgements once the agent has explained something (not reasons, whatever came before).
_MORE_ACKS: dict[str, list[str]] = {
    "ack.neutral": ["Oh, so that's what it was.", "Ah, the annual fee, right, I see.", "So it was automatic, okay.", "Oh, that's how it was charged, fine."],
    "ack.positive": ["Oh, it was the mortgage payment, no problem then.", "Right, that puts my mind at rest.", "Ah, good to have that cleared up, all fine."],
}
for _key, _extra in _MORE_ACKS.items():
    POOLS[_key][0].extend(_extra)

#: Common cases worth more coverage: statements and proofs for applications; cash machine faults.
_MORE_CASES: dict[str, list[str]] = {
    "req.account_inquiry": ["I need an official bank statement for my visa application.", "Could you email me last quarter's statement? It's for a rental application.",
                            "I need proof of my balance for my son's student visa."],
    "handle.account_inquiry": ["I've emailed the statement to your registered address.", "The stamped statement will be ready at the branch tomorrow."],
    "req.card_services": ["The ATM didn't give me any cash but charged my card, what do I do?"],
    "complain.card_services": ["The cash machine said the transaction failed but my card was still debited!", "The ATM jammed, no money came out, and the amount was taken anyway!"],
    "handle.card_services": ["That was a cash machine fault; once the machine is balanced the money goes back to your card.", "I've logged an ATM dispute for you; it's resolved within three business days."],
}
for _key, _extra in _MORE_CASES.items():
    POOLS[_key][0].extend(_extra)

_MORE_COVERAGE: dict[str, list[str]] = {
    "req.account_inquiry": ["Can you send my last three months of statements to my email?", "I'd like a paper statement posted to my home.",
                            "How do I download a PDF statement in the app?"],
    "handle.account_inquiry": ["I've sent the statements you asked for to your email.", "You can export an electronic statement from account history in the app."],
    "escalate": ["If you keep stalling, I'm taking this straight to the central bank.", "I demand to speak with the duty manager, right now!",
                 "I'm going to make sure a reporter hears about this.", "I'll instruct my solicitor and see you in court.",
                 "I'm reporting this practice to the banking regulator under my own name.", "I'll come to the branch every day until someone deals with it!",
                 "Get your customer service supervisor on the line!", "I've already called the regulator's complaints line, so watch out."],
}
for _key, _extra in _MORE_COVERAGE.items():
    POOLS[_key][0].extend(_extra)
